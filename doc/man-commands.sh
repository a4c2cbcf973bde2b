#!/bin/sh
# Writes a help2man include file (see help2man(1), INCLUDE FILES): a COMMANDS
# section with every subcommand's --help as roff, and the top-level examples
# kept line by line. The subcommands are the ones `cltv --help` lists, so a
# new command reaches the man page without an edit here.
# Usage: doc/man-commands.sh path/to/cltv commands.h2m
set -eu
cltv=$1
exec >"$2.tmp"

# Roff: backslashes as \e, hyphens as \- (so that man pages search and copy
# as ASCII), a leading . or ' protected by \&.
escape='function esc(s) {
  gsub(/\\/, "\001", s); gsub(/-/, "\\-", s); gsub(/\001/, "\\e", s)
  if (s ~ /^[.'"'"']/) s = "\\&" s
  return s
}'

top=$("$cltv" --help)
commands=$(printf '%s\n' "$top" | awk '/^Subcommands:$/ { on = 1; next } on && /^$/ { exit } on { print $1 }')

echo "[COMMANDS]"
printf '%s\n' 'Each command'"'"'s \fB\-\-help\fR, as \fBcltv \fIcommand\fB \-\-help\fR prints it.'
for command in $commands; do
  help=$("$cltv" "$command" --help)
  printf '.SS "%s"\n' "cltv $command"
  # CLI11's layout: a description line, "Usage: ...", headed groups of
  # "  spec   description" lines (a long spec puts the description on the next
  # line), an "Examples:" block, then prose paragraphs.
  printf '%s\n' "$help" | awk "$escape"'
    NR == 1 { print esc($0); next }
    /^Usage: / { print ".PP"; print "\\fBUsage:\\fR " esc(substr($0, 8)); next }
    /^$/ { if (mode == "examples") { print ".fi"; print ".RE" } mode = "text"; print ".PP"; next }
    /^[A-Z][^:]*:$/ {
      print "\\fB" esc($0) "\\fR"
      if ($0 == "Examples:") { mode = "examples"; print ".RS 2"; print ".nf" } else mode = "list"
      next
    }
    mode == "examples" { print esc(substr($0, 3)); next }
    mode == "list" && /^      / { sub(/^ +/, ""); print esc($0); next }
    mode == "list" && /^  [^ ]/ {
      # The spec is padded to 30 columns; a longer one ends the line.
      print ".TP"
      if (length($0) <= 30 || substr($0, 30, 1) != " ") { print "\\fB" esc(substr($0, 3)) "\\fR"; next }
      spec = substr($0, 3, 28); sub(/ +$/, "", spec)
      print "\\fB" esc(spec) "\\fR"; print esc(substr($0, 31)); next
    }
    { print esc($0) }
    END { if (mode == "examples") { print ".fi"; print ".RE" } }'
done

echo "[=EXAMPLES]"
printf '%s\n' "$top" | awk "$escape"'
  /^Examples:$/ { on = 1; print ".nf"; next }
  on == 1 && /^$/ { print ".fi"; print ".PP"; on = 2; next }
  on == 1 { print esc(substr($0, 3)); next }
  on == 2 { print esc($0) }
  END { if (on == 1) print ".fi" }'
mv "$2.tmp" "$2"
