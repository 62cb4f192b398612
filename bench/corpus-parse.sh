#!/usr/bin/env sh
# Parses every Dockerfile of a corpus with rampart's parser and prints the files that fail,
# the totals (RUN scripts, commands, scripts with shell syntax errors) and the time taken.
# Not a test: the corpus lives outside the repository.
#
#   bench/corpus-parse.sh [DIR...]        (default: ../shared/corpus/dockerfiles)
#   CORPUS_VERBOSE=1 bench/corpus-parse.sh   also lists each RUN whose shell parse had errors
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "$#" -eq 0 ]; then
    set -- "$root/../shared/corpus/dockerfiles"
fi
cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p rampart-dockerfile --example corpus
exec "$root/target/release/examples/corpus" "$@"
