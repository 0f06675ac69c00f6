# SPDX-License-Identifier: ISC
# bash completion for zn and the zn-* commands.  The options come from the
# commands themselves (CMD --complete), so they never drift from the code.

_zn_complete() {
	local cur=${COMP_WORDS[COMP_CWORD]} cmd=$1 words
	COMPREPLY=()
	if [ "$cmd" = zn ]; then
		if [ "$COMP_CWORD" -eq 1 ]; then
			words=$(zn commands 2>/dev/null; zn --complete 2>/dev/null)
			# shellcheck disable=SC2207
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
			return 0
		fi
		cmd=zn-${COMP_WORDS[1]}
		# zn generate NAME is zn-diff --name NAME.
		[ "$cmd" = zn-generate ] && cmd=zn-diff
	fi
	case $cur in
	-*)
		words=$("$cmd" --complete 2>/dev/null)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		case ${COMPREPLY[0]:-} in *=) compopt -o nospace 2>/dev/null ;; esac
		;;
	*)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	esac
	return 0
}
complete -F _zn_complete zn zn-snapshot zn-diff zn-classify zn-apply
