# bash completion for leo-ask and leo-index. Options are read from the tool's own --help, so
# the completion always offers exactly the options the installed tool has.
_leo_complete() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    case "$prev" in
        --db|--config|--batch) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --format) COMPREPLY=($(compgen -W "text json jsonl trec markdown" -- "$cur")); return ;;
        --ranking) COMPREPLY=($(compgen -W "leo bm25" -- "$cur")); return ;;
    esac
    if [[ "$cur" == -* ]]; then
        local options
        options=$("$1" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-zA-Z][-a-zA-Z]*' | tr -d ' ,')
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [[ "$1" == *leo-index ]]; then
        COMPREPLY=($(compgen -d -- "$cur"))
    fi
}
complete -F _leo_complete leo-ask leo-index
