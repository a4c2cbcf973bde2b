# Loads the generated zsh completion (_cltv) with compinit in an interactive
# zsh on a pseudo-terminal (zpty), types command lines and <Tab>, and records
# the matches the completion offers (compadd is wrapped to print them).
# Usage: zsh -f zsh_completion_test.zsh DIR   (DIR holds _cltv)
# No pseudo-terminal here (no zsh/zpty module, or no /dev/ptmx, as in some
# containers): say so and exit 77, which ctest reports as Skipped.
if ! zmodload zsh/zpty 2>/dev/null; then
  print -r -- "skipped: zsh's zpty module is not available (no pseudo-terminal to type into)"
  exit 77
fi
if ! zpty cltv_probe true 2>/dev/null; then
  print -r -- "skipped: no pseudo-terminal can be opened here (zpty failed)"
  exit 77
fi
zpty -d cltv_probe
dir=$1
scratch=$(mktemp -d)
touch $scratch/log.csv $scratch/other.txt

# The test shell's setup, read before its first prompt: compinit with the
# directory of _cltv in $fpath, and compadd wrapped to print the matches.
cat > $scratch/.zshrc <<SETUP
PROMPT='ZP> '
cd ${(q)scratch}
fpath=(${(q)dir:a} \$fpath)
autoload -Uz compinit
compinit -u -D
compadd() {
  local -a m
  builtin compadd -O m "\$@"
  print -rn -- "<m>\${(j:,:)m}</m>"
  builtin compadd "\$@"
}
SETUP
zpty z "ZDOTDIR=${(q)scratch} zsh -i"
# Type only at a prompt: zsh may drop what arrives before it.
zpty -r z out '*ZP> *'

n=0
failures=0
# expect 'COMMAND LINE' EXPECTED...: the words offered for <Tab> at the end of
# the line, sorted and without duplicates (zsh asks for some more than once).
expect() {
  local line=$1; shift
  (( n++ ))
  zpty -w -n z "$line"$'\t'
  zpty -w -n z $'\C-u'
  zpty -w z "print END\$(($n+0))"
  zpty -r z out "*END$n*ZP> *"
  local -a got parts
  parts=(${(s:<m>:)out})
  for part in $parts; do
    [[ $part == *'</m>'* ]] && got+=(${(s:,:)part%%'</m>'*})
  done
  got=(${(ou)got})
  local want=${(j: :)${(ou)@}}
  if [[ ${(j: :)got} == $want ]]; then
    print -r -- "ok   $line| -> ${(j: :)got}"
  else
    print -r -- "FAIL $line| -> '${(j: :)got}', expected '$want'"
    (( failures++ ))
  fi
}

expect 'cltv ca' calc
expect 'cltv calc --ch' --churn
expect 'cltv calc --format ' table json ndjson csv
expect 'cltv calc --format=n' ndjson
expect 'cltv check --color a' auto always
expect 'cltv calc --churn '
expect 'cltv completion ' bash zsh fish
expect 'cltv summarize o' other.txt
expect 'cltv fit bgnbd l' log.csv
expect 'cltv calc --input l' log.csv
zpty -d z
rm -rf $scratch
if (( failures > 0 )); then
  print "$failures completion case(s) failed"
  exit 1
fi
