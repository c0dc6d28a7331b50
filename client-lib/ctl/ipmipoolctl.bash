# bash completion for ipmipoolctl(1)
# BMC names come from the running daemon (ipmipoolctl --complete bmcs, a
# hidden helper that prints one name per line and stays quiet on errors).

_ipmipoolctl_bmcs()
{
	local sock=("${@}")
	ipmipoolctl "${sock[@]}" --timeout 2 --complete bmcs 2>/dev/null
}

_ipmipoolctl()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n = || return
	else
		COMPREPLY=()
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local global_opts="-s --socket -j --json -t --timeout -h --help -V --version"
	case $prev in
	-s | --socket | --password-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-t | --timeout | --port | --user | --bridge | --lun | --owner)
		return
		;;
	--cipher)
		COMPREPLY=($(compgen -W "auto 1 2 3 6 7 8 11 12 15 16 17" -- "$cur"))
		return
		;;
	--privilege)
		COMPREPLY=($(compgen -W "callback user operator administrator" -- "$cur"))
		return
		;;
	esac

	# find the verb and the socket option among the words before the cursor
	local i verb="" vi=0 sock=()
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-s | --socket)
			sock=(-s "${words[i + 1]}")
			((i++))
			;;
		--socket=*) sock=(-s "${words[i]#--socket=}") ;;
		-t | --timeout | --bridge | --lun | --owner | --port | --user | --password-file | --cipher | --privilege)
			((i++))
			;;
		-*) ;;
		*)
			if [ -z "$verb" ]; then
				verb=${words[i]}
				vi=$i
			fi
			;;
		esac
	done

	if [ -z "$verb" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global_opts" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(ipmipoolctl --complete verbs 2>/dev/null)" -- "$cur"))
		fi
		return
	fi

	# position of the word being completed after the verb (1 = first argument)
	local n=0
	for ((i = vi + 1; i < cword; i++)); do
		case ${words[i]} in
		-s | --socket | -t | --timeout | --bridge | --lun | --owner | --port | --user | --password-file | --cipher | --privilege)
			((i++))
			;;
		-*) ;;
		*) ((n++)) ;;
		esac
	done
	((n++))

	local opts=""
	case $verb in
	info | sensors | sdr-info | sel | fru) opts="--bridge" ;;
	sensor) opts="--owner --lun --bridge" ;;
	raw) opts="--bridge --lun" ;;
	bootdev) opts="--persistent --efi" ;;
	add) opts="--port --user --password-file --cipher --privilege" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $global_opts" -- "$cur"))
		return
	fi

	case $verb in
	list | stats | reload | daemon-info | add) return ;;
	call)
		[ "$n" -eq 1 ] &&
			COMPREPLY=($(compgen -W "$(ipmipoolctl --complete methods 2>/dev/null)" -- "$cur"))
		return
		;;
	esac
	if [ "$n" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$(_ipmipoolctl_bmcs "${sock[@]}")" -- "$cur"))
		return
	fi
	if [ "$n" -eq 2 ]; then
		case $verb in
		power) COMPREPLY=($(compgen -W "on off cycle reset soft diag status" -- "$cur")) ;;
		bootdev) COMPREPLY=($(compgen -W "pxe disk bios cdrom safe diag floppy none" -- "$cur")) ;;
		sel) COMPREPLY=($(compgen -W "list info clear" -- "$cur")) ;;
		chassis) COMPREPLY=($(compgen -W "status" -- "$cur")) ;;
		raw) COMPREPLY=($(compgen -W "0x00 0x04 0x06 0x0a 0x0c chassis app storage transport" -- "$cur")) ;;
		esac
	fi
	if [ "$n" -eq 3 ] && [ "$verb" = sel ] && [ "${words[cword - 1]}" = list ]; then
		COMPREPLY=($(compgen -W "last" -- "$cur"))
	fi
}
complete -F _ipmipoolctl ipmipoolctl
