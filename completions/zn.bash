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
		# zn generate NAME is zn-diff --name NAME; zn plan ends in
		# zn-classify, zn up and down in zn-apply; zn status and history are
		# zn-ledger's.
		case $cmd in
		zn-generate|zn-pull) cmd=zn-diff ;;
		zn-plan) cmd=zn-classify ;;
		zn-verify) cmd=zn-shadow ;;
		zn-up|zn-down) cmd=zn-apply ;;
		zn-status|zn-history|zn-config) cmd=zn-ledger ;;
		zn-recover) cmd=zn-artifact ;;
		esac
	fi
	# zn-artifact's verbs (from itself).
	if [ "$cmd" = zn-artifact ] && [[ $cur != -* ]]; then
		local w sub=''
		for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
			case $w in
			-*|recover|artifact) ;;
			*) [ -z "$sub" ] && sub=$w ;;
			esac
		done
		if [ -z "$sub" ]; then
			words=$(zn-artifact commands 2>/dev/null)
			# shellcheck disable=SC2207
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
			return 0
		fi
	fi
	# zn-ledger's commands, and the questions audit asks (from itself).
	if [ "$cmd" = zn-ledger ] && [[ $cur != -* ]]; then
		local w sub='' prev=''
		for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
			case $w in
			-*|ledger) ;;
			*) [ -z "$sub" ] && sub=$w; prev=$w ;;
			esac
		done
		case $sub in
		'')
			# shellcheck disable=SC2207
			COMPREPLY=($(compgen -W "status pending history audit snapshot resolve down" -- "$cur"))
			return 0 ;;
		audit)
			if [ "$prev" = audit ]; then
				words=$(zn-ledger audit 2>/dev/null | cut -d' ' -f1)
				# shellcheck disable=SC2207
				COMPREPLY=($(compgen -W "$words" -- "$cur"))
				return 0
			fi ;;
		esac
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
complete -F _zn_complete zn zn-snapshot zn-diff zn-classify zn-shadow zn-apply zn-ledger zn-artifact
