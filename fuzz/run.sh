#!/bin/sh
# Fuzzes one target on stable Rust, then folds what it found into the
# committed corpus, minimised. Usage (from anywhere):
#   fuzz/run.sh <decode_events|dispatch|macro_parser|decrypt_message> [seconds, default 600]
# Findings (crash-*, oom-*, timeout-*, leak-*) land in fuzz/artifacts/<target>/.
set -eu
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
case "$target" in
    macro_parser) dict=dict/rust.dict merge_len=2048 ;;
    decrypt_message) dict=dict/esdk.dict merge_len=1024 ;;
    *) dict=dict/events.dict merge_len=1024 ;;
esac
work=target/work/$target
mkdir -p "$work" "artifacts/$target"
# -s none: no sanitizer (ASan needs nightly's -Zsanitizer); the code under
# test has no `unsafe`. --no-cfg-fuzzing: proc-macro2 turns span locations
# off under cfg(fuzzing), and the build step runs with them on.
nice -n 15 cargo fuzz run -s none --no-cfg-fuzzing "$target" "$work" "corpus/$target" -- \
    -dict="$dict" \
    -max_total_time="$seconds" \
    -rss_limit_mb=1024 \
    -timeout=5 \
    -max_len=16384 \
    -print_final_stats=1
# Keep a smallest set of inputs that covers the same features (without hit
# counts), each cut to $merge_len bytes, so the committed corpus stays small
# (the cut keeps about 98% of the features).
mkdir -p target/minimised
rm -rf "target/minimised/$target"
mkdir "target/minimised/$target"
"target/x86_64-unknown-linux-gnu/release/$target" -set_cover_merge=1 -use_counters=0 -max_len="$merge_len" \
    "target/minimised/$target" "corpus/$target" "$work"
rm -rf "corpus/$target"
mv "target/minimised/$target" "corpus/$target"
