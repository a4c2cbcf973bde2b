# Loads the generated fish completion and asks fish what it completes for a
# command line (complete -C), as on <Tab>.
# Usage: fish fish_completion_test.fish build/.../shell/cltv.fish
source $argv[1]
set scratch (mktemp -d)
touch $scratch/log.csv $scratch/other.txt
set failures 0

# expect 'COMMAND LINE' EXPECTED...: the completions (without descriptions), sorted.
function expect
    set -l got (complete -C $argv[1] | string replace -r '\t.*' '' | sort | string join ' ')
    set -l want (printf '%s\n' $argv[2..-1] | sort | string join ' ')
    if test "$got" = "$want"
        echo "ok   $argv[1]| -> $got"
    else
        echo "FAIL $argv[1]| -> '$got', expected '$want'"
        set -g failures (math $failures + 1)
    end
end

expect 'cltv ca' calc
expect 'cltv c' calc check clv completion convert
expect 'cltv calc --ch' --churn
expect 'cltv calc --format ' table json ndjson csv
expect 'cltv calc --format=n' --format=ndjson
expect 'cltv check --color a' auto always
expect 'cltv calc --churn '
expect "cltv calc --input $scratch/log." $scratch/log.csv
expect "cltv summarize $scratch/o" $scratch/other.txt
expect 'cltv completion ' bash zsh fish
rm -r $scratch
if test $failures -gt 0
    echo "$failures completion case(s) failed"
    exit 1
end
