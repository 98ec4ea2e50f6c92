#!/usr/bin/env bash
# Issue 6's figures, each against the hand-written baseline built and
# measured in the same run. BENCHMARKS.md records and explains them.
#
#   benchmarks/run.sh [process]  binary size, dependency count, cold start, throughput
#   benchmarks/run.sh events     event path per trigger: ns per event, ratios to the baseline
#   benchmarks/run.sh build      the build step: in-process for 10/100/1,000 declarations,
#                                incremental rebuilds, the macro's expansion time per handler
#   benchmarks/run.sh all        all three
#
# Environment: ROUNDS (21) throughput runs per binary, INVOCATIONS (5000) per
# run, COLD_ROUNDS (101) cold starts per binary, EVENT_ROUNDS (15) short runs
# of each event-path bench; BUILD_ROUNDS (15) runs of the build-step bench,
# REBUILD_ROUNDS (15) timed rebuilds per package, EXPAND_ROUNDS (3) passes over
# every binary of the expansion timing. Many short rounds, alternating, rather than a few
# long ones: on a shared machine the speed drifts, and a ratio only holds
# between runs made close together. Builds go to $CARGO_TARGET_DIR (default
# target/bench) at a lower priority; the measurements run at normal priority.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/bench}"
ROUNDS="${ROUNDS:-21}"
INVOCATIONS="${INVOCATIONS:-5000}"
COLD_ROUNDS="${COLD_ROUNDS:-101}"
EVENT_ROUNDS="${EVENT_ROUNDS:-15}"
BUILD_ROUNDS="${BUILD_ROUNDS:-15}"
REBUILD_ROUNDS="${REBUILD_ROUNDS:-15}"
EXPAND_ROUNDS="${EXPAND_ROUNDS:-3}"
release="$CARGO_TARGET_DIR/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
whole() { median | xargs printf '%.0f'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# The median over rounds of file1's value over file2's, line by line.
median_ratio() { paste "$1" "$2" | awk '{ print $1 / $2 }' | median | xargs printf '%.2f'; }

machine() {
    echo "machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# The prescribed count (a crate reached twice also counts its "(*)" line),
# then distinct crates.
dependencies() { cargo tree -q -e normal --prefix none -p "$1" | sort -u | wc -l; }
crates() { cargo tree -q -e normal --prefix none -p "$1" | sed 's/ (\*)$//; s/ (\/.*)$//' | sort -u; }

process() {
    machine
    nice -n 10 cargo build --release -p cognito-trigger-benchmarks --bins

    local baseline toolkit
    baseline=$(stat -c %s "$release/baseline_pre_sign_up")
    toolkit=$(stat -c %s "$release/toolkit_pre_sign_up")
    echo "binary size: toolkit $toolkit B, baseline $baseline B, ratio $(ratio "$toolkit" "$baseline")"

    baseline=$(dependencies cognito-trigger-bench-baseline)
    toolkit=$(dependencies cognito-trigger-bench-toolkit)
    echo "dependencies: toolkit $toolkit, baseline $baseline" \
        "(distinct crates: toolkit $(crates cognito-trigger-bench-toolkit | wc -l)," \
        "baseline $(crates cognito-trigger-bench-baseline | wc -l))"
    echo "  only in toolkit: $(comm -13 <(crates cognito-trigger-bench-baseline) <(crates cognito-trigger-bench-toolkit) | paste -sd, -)"
    echo "  only in baseline: $(comm -23 <(crates cognito-trigger-bench-baseline) <(crates cognito-trigger-bench-toolkit) | paste -sd, -)"

    # floor_pre_sign_up: what any trigger binary costs (exec, loading, the
    # round trips, this harness); the "above the floor" figures leave it out.
    local event=benchmarks/events/pre_sign_up.json round binary
    loop() { "$release/invoke_loop" "$release/${1}_pre_sign_up" "$event" "$2"; }
    field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
    # Alternate the order, so drifting load favours no binary.
    local -a orders=("baseline toolkit floor" "floor toolkit baseline")
    for round in $(seq "$ROUNDS"); do
        for binary in ${orders[round % 2]}; do
            loop "$binary" "$INVOCATIONS" | tee -a "$work/$binary.loop" | sed "s/^/  $binary: /"
        done
    done
    for round in $(seq "$COLD_ROUNDS"); do
        for binary in ${orders[round % 2]}; do
            loop "$binary" 2 | field cold_start_us >>"$work/$binary.cold"
        done
    done
    for binary in baseline toolkit floor; do
        field per_s <"$work/$binary.loop" >"$work/$binary.per_s"
        awk '{ print 1e6 / $1 }' "$work/$binary.per_s" >"$work/$binary.us"
    done
    # What each costs beyond the floor, measured in the same round.
    for binary in baseline toolkit; do
        paste "$work/$binary.us" "$work/floor.us" | awk '{ print $1 - $2 }' >"$work/$binary.us_above"
        paste "$work/$binary.cold" "$work/floor.cold" | awk '{ print $1 - $2 }' >"$work/$binary.cold_above"
    done
    echo "throughput: toolkit $(whole <"$work/toolkit.per_s")/s, baseline $(whole <"$work/baseline.per_s")/s," \
        "floor $(whole <"$work/floor.per_s")/s; toolkit/baseline $(median_ratio "$work/toolkit.per_s" "$work/baseline.per_s")" \
        "(medians of $ROUNDS rounds of $INVOCATIONS)"
    echo "  us per invocation above the floor: toolkit $(whole <"$work/toolkit.us_above")," \
        "baseline $(whole <"$work/baseline.us_above"), ratio $(median_ratio "$work/toolkit.us_above" "$work/baseline.us_above")"
    echo "cold start: toolkit $(whole <"$work/toolkit.cold") us, baseline $(whole <"$work/baseline.cold") us," \
        "floor $(whole <"$work/floor.cold") us; toolkit/baseline $(median_ratio "$work/toolkit.cold" "$work/baseline.cold")" \
        "(medians of $COLD_ROUNDS rounds)"
    echo "  above the floor: toolkit $(whole <"$work/toolkit.cold_above") us," \
        "baseline $(whole <"$work/baseline.cold_above") us, ratio $(median_ratio "$work/toolkit.cold_above" "$work/baseline.cold_above")"
    machine
}

# Reads divan's table: "group path median_ns" for each benchmark.
medians() {
    LC_ALL=C awk '
        function ns(value, unit) {
            return value * (unit == "ns" ? 1 : unit == "ms" ? 1e6 : unit == "s" ? 1e9 : 1e3)
        }
        /^[^ ]+ +fastest/ { next }
        /^(\xe2\x94\x9c|\xe2\x95\xb0)\xe2\x94\x80 / { group = $2; next }
        /\xe2\x94\x80 [a-z0-9_]+ +[0-9.]+ / {
            line = $0
            sub(/^.*\xe2\x94\x80 /, "", line)
            split(line, words, " ")
            name = words[1]
            # fastest, slowest, median: the third value with a unit.
            for (i = 0; i < 3 && match(line, /[0-9.]+ (ns|\xc2\xb5s|ms|s) /); ) {
                split(substr(line, RSTART, RLENGTH), pair, " ")
                line = substr(line, RSTART + RLENGTH)
                i++
            }
            print group, name, ns(pair[1], pair[2])
        }'
}

events() {
    machine
    nice -n 10 cargo bench -p cognito-trigger-benchmarks --bench event_path --bench breakdown --no-run
    local round
    for round in $(seq "$EVENT_ROUNDS"); do
        cargo bench -q -p cognito-trigger-benchmarks --bench event_path -- --sample-count 100 |
            medians >"$work/events.$round"
    done
    for round in $(seq "$EVENT_ROUNDS"); do
        cargo bench -q -p cognito-trigger-benchmarks --bench breakdown -- --sample-count 100 |
            medians >"$work/stages.$round"
    done
    # Per trigger: each path's median ns over the rounds, and the median over
    # the rounds of its ratio to the baseline measured in the same round.
    # "tk-pass/base": the toolkit less lambda_runtime's parse into
    # Box<RawValue> (e_runtime_pass), what entry.rs would cost without it.
    cat "$work"/events.* | awk '
        function median(list, count,   i, j, t) {
            for (i = 2; i <= count; i++)
                for (j = i; j > 1 && list[j - 1] > list[j]; j--) { t = list[j]; list[j] = list[j - 1]; list[j - 1] = t }
            return count % 2 ? list[(count + 1) / 2] : (list[count / 2] + list[count / 2 + 1]) / 2
        }
        { ns[$1, $2, ++n[$1, $2]] = $3; if (!($1 in seen)) { seen[$1]; order[++groups] = $1 } }
        END {
            printf "%-24s %8s %8s %8s %8s %8s | %7s %7s %7s %7s | %12s\n", "ns/event (median)", "toolkit", "baseline",
                "value", "floor", "pass", "tk/base", "val/base", "flr/base", "tk/floor", "tk-pass/base"
            split("a_toolkit b_baseline c_value d_floor e_runtime_pass", paths, " ")
            for (g = 1; g <= groups; g++) {
                t = order[g]; rounds = n[t, "b_baseline"]
                for (p = 1; p <= 5; p++) {
                    for (r = 1; r <= rounds; r++) { v[r] = ns[t, paths[p], r]; q[r] = v[r] / ns[t, "b_baseline", r] }
                    abs[p] = median(v, rounds); rel[p] = median(q, rounds)
                }
                for (r = 1; r <= rounds; r++) q[r] = ns[t, "a_toolkit", r] / ns[t, "d_floor", r]
                floor = median(q, rounds)
                for (r = 1; r <= rounds; r++) q[r] = (ns[t, "a_toolkit", r] - ns[t, "e_runtime_pass", r]) / ns[t, "b_baseline", r]
                printf "%-24s %8.0f %8.0f %8.0f %8.0f %8.0f | %7.2f %7.2f %7.2f %7.2f | %12.2f\n", t, abs[1], abs[2], abs[3],
                    abs[4], abs[5], rel[1], rel[3], rel[4], floor, median(q, rounds)
            }
        }'
    # The stages: medians over the rounds; located/plain, the median of the
    # per-round ratios, is serde_path_to_error's own cost.
    cat "$work"/stages.* | awk '
        function median(list, count,   i, j, t) {
            for (i = 2; i <= count; i++)
                for (j = i; j > 1 && list[j - 1] > list[j]; j--) { t = list[j]; list[j] = list[j - 1]; list[j - 1] = t }
            return count % 2 ? list[(count + 1) / 2] : (list[count / 2] + list[count / 2 + 1]) / 2
        }
        { ns[$1, $2, ++n[$1, $2]] = $3; if (!($1 in seen)) { seen[$1]; order[++groups] = $1 } }
        END {
            printf "%-24s %9s %9s %9s | %9s %9s %9s | %13s\n", "stages ns (median)", "tk raw", "tk decode", "tk encode",
                "located", "plain", "encode", "located/plain"
            split("a1_raw a2_decode a3_encode b1_located_parse b2_plain_parse b3_encode", stages, " ")
            for (g = 1; g <= groups; g++) {
                t = order[g]; rounds = n[t, "a1_raw"]
                for (s = 1; s <= 6; s++) {
                    for (r = 1; r <= rounds; r++) v[r] = ns[t, stages[s], r]
                    m[s] = median(v, rounds)
                }
                for (r = 1; r <= rounds; r++) v[r] = ns[t, "b1_located_parse", r] / ns[t, "b2_plain_parse", r]
                printf "%-24s %9.0f %9.0f %9.0f | %9.0f %9.0f %9.0f | %13.2f\n", t, m[1], m[2], m[3], m[4], m[5], m[6],
                    median(v, rounds)
            }
        }'
    machine
}

# The generated packages of `build_step_packages`: cargo on the package of
# one variant. Without the build step, the macro is told to check each
# declaration alone, as it does under compile-fail harnesses. At priority
# $niceness (0 unless set).
variant_cargo() {
    local variant=$1 command=$2 skip=()
    shift 2
    [ "$variant" = no_build_step ] && skip=(COGNITO_TRIGGER_SKIP_MANIFEST=1)
    env "${skip[@]}" nice -n "${niceness:-0}" cargo "$command" --manifest-path "$packages/$variant/Cargo.toml" "$@"
}

# An edit to a handler: its REVISION string, new each time.
edits=0
edit() {
    edits=$((edits + 1))
    sed -i "s/^const REVISION: &str = \"r[0-9]*\";/const REVISION: \&str = \"r$edits\";/" "$packages/$1/src/bin/$2.rs"
}

# Runs one timed build ("variant binary cargo-args..."), appending its
# seconds to $work/<label>.s and the rustc runs it made to <label>.rustc. A
# build that recompiled cognito-trigger itself (the workspace being edited
# meanwhile) is done again.
timed_build() {
    local label=$1 variant=$2 bin=$3 tries start end
    shift 3
    for tries in 1 2 3; do
        edit "$variant" "$bin"
        start=$EPOCHREALTIME
        variant_cargo "$variant" "$@" -v >/dev/null 2>"$work/last.log"
        end=$EPOCHREALTIME
        grep -q 'Compiling cognito-trigger' "$work/last.log" || break
        echo "  ($label: cognito-trigger itself was rebuilt; again)"
    done
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }' >>"$work/$label.s"
    grep -c 'Running `.*rustc .*--crate-name' "$work/last.log" >>"$work/$label.rustc" || true
}

# The macro's expansion: rustc's expand_crate pass ("label binaries...") for
# each binary, checked alone after an edit, in each variant in turn, and
# what it takes above the same binary without an attribute (plain).
expansion() {
    local label=$1 round i bin variant
    shift
    local -a variants=(build_step no_build_step trivial plain)
    for variant in "${variants[@]}"; do
        niceness=10 variant_cargo "$variant" check -q --bin "$1"
    done
    for round in $(seq "$EXPAND_ROUNDS"); do
        i=0
        for bin in "$@"; do
            i=$((i + 1))
            for variant in "${variants[@]:i%4}" "${variants[@]:0:i%4}"; do
                edit "$variant" "$bin"
                variant_cargo "$variant" rustc -q --profile check --bin "$bin" -- \
                    -Z time-passes -Z time-passes-format=json 2>&1 >/dev/null |
                    sed -n 's/.*"pass":"expand_crate","time":\([0-9.e-]*\).*/\1/p' >>"$work/$label.$variant.expand"
            done
        done
    done
    echo "$label: expand_crate per binary (ms, medians of $EXPAND_ROUNDS x $#), and above plain (no attribute):"
    for variant in "${variants[@]}"; do
        paste "$work/$label.$variant.expand" "$work/$label.plain.expand" | awk '{ print ($1 - $2) * 1e3 }' >"$work/$label.$variant.above"
        echo "  $variant: $(awk '{ print $1 * 1e3 }' "$work/$label.$variant.expand" | median | xargs printf '%.2f')," \
            "above plain $(median <"$work/$label.$variant.above" | xargs printf '%.2f')"
    done
    echo "  above plain, build_step/trivial: $(ratio "$(median <"$work/$label.build_step.above")" "$(median <"$work/$label.trivial.above")")," \
        "no_build_step/trivial: $(ratio "$(median <"$work/$label.no_build_step.above")" "$(median <"$work/$label.trivial.above")")"
}

build_step() {
    machine
    nice -n 10 cargo build --release -p cognito-trigger-benchmarks --bin build_step_packages
    nice -n 10 cargo bench -p cognito-trigger-benchmarks --bench build_step --no-run

    # In-process: the build step for 10, 100, 1,000 declarations (the SIZES
    # of src/build_step.rs, all within CloudFormation's quotas), and the
    # manifest's part of one macro expansion.
    local round
    for round in $(seq "$BUILD_ROUNDS"); do
        cargo bench -q -p cognito-trigger-benchmarks --bench build_step -- --sample-count 20 |
            medians >"$work/build.$round"
    done
    echo "in-process, medians of $BUILD_ROUNDS rounds (ratios: median of each round's ratio):"
    cat "$work"/build.* | awk '
        function median(list, count,   i, j, t) {
            for (i = 2; i <= count; i++)
                for (j = i; j > 1 && list[j - 1] > list[j]; j--) { t = list[j]; list[j] = list[j - 1]; list[j - 1] = t }
            return count % 2 ? list[(count + 1) / 2] : (list[count / 2] + list[count / 2 + 1]) / 2
        }
        { k = ++n[$1, $2]; ns[$1, $2, k] = $3 }
        END {
            printf "  %-12s %12s %14s %16s\n", "declarations", "build step", "per declaration", "macro reads manifest"
            split("10 100 1000", sizes, " ")
            for (s = 1; s <= 3; s++) {
                size = sizes[s]; rounds = n["build_step", size]
                for (r = 1; r <= rounds; r++) { a[r] = ns["build_step", size, r]; b[r] = ns["macro_reads_manifest", size, r] }
                step = median(a, rounds)
                printf "  %-12d %9.2f ms %11.1f us %16.1f us\n", size, step / 1e6, step / size / 1e3, median(b, rounds) / 1e3
            }
            for (s = 2; s <= 3; s++) {
                for (r = 1; r <= rounds; r++) q[r] = ns["build_step", sizes[s], r] / ns["build_step", sizes[s - 1], r]
                printf "  growth %s -> %s declarations: %.2fx (10x is linear)\n", sizes[s - 1], sizes[s], median(q, rounds)
            }
        }'

    # Generated packages of 13 binaries (24 declarations over 2 pools, one
    # trigger per function), built in their own target directory.
    local dir="$CARGO_TARGET_DIR/build-step" scans="$CARGO_TARGET_DIR/tmp/build-step" variant bin order i start
    packages="$dir/packages"
    local -a bins
    mapfile -t bins < <("$release/build_step_packages" "$packages")
    echo "packages: ${#bins[@]} binaries each, in $packages"
    (
        export CARGO_TARGET_DIR="$dir/target" RUSTC_BOOTSTRAP=1
        for variant in build_step no_build_step; do
            niceness=10 variant_cargo "$variant" build -q
        done
        # The incremental rebuild after an edit to one handler, alternating:
        # the package with the build step, the same without it, and with it
        # but building only the edited binary.
        for round in $(seq "$REBUILD_ROUNDS"); do
            bin=${bins[round % ${#bins[@]}]}
            if ((round % 2)); then order="build_step no_build_step one_bin"; else order="one_bin no_build_step build_step"; fi
            for variant in $order; do
                case $variant in
                one_bin) timed_build one_bin build_step "$bin" build --bin "$bin" ;;
                *) timed_build "$variant" "$variant" "$bin" build ;;
                esac
            done
        done
        echo "incremental rebuild (cargo build, dev profile), medians of $REBUILD_ROUNDS edits:"
        for variant in build_step no_build_step one_bin; do
            echo "  $variant: $(median <"$work/$variant.s") s, rustc runs $(median <"$work/$variant.rustc")"
        done
        echo "  build_step/no_build_step $(median_ratio "$work/build_step.s" "$work/no_build_step.s")," \
            "one_bin/no_build_step $(median_ratio "$work/one_bin.s" "$work/no_build_step.s")"

        # The build script as cargo runs it in a dev build (opt-level 0, as
        # build scripts and build-dependencies are unless the profile's
        # build-override says otherwise), on the in-process bench's packages:
        # the binary (its newest build) is the same for any package, which it
        # reads from CARGO_MANIFEST_DIR. After the first run, the outputs are
        # unchanged, so not rewritten, as after an edit that leaves the
        # declarations be.
        local script size
        script=$(ls -t "$CARGO_TARGET_DIR"/debug/build/bench-build-step-*/build-script-build | head -1)
        for round in $(seq "$BUILD_ROUNDS"); do
            for size in 10 100 1000; do
                mkdir -p "$work/out-$size"
                start=$EPOCHREALTIME
                CARGO_MANIFEST_DIR="$scans/scan-$size" OUT_DIR="$work/out-$size" "$script" >/dev/null
                awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.5f\n", b - a }' >>"$work/script-$size.s"
            done
        done
        echo "build script in a dev build (one process: scan, manifest, template, writes), medians of $BUILD_ROUNDS:"
        for size in 10 100 1000; do
            echo "  $size declarations: $(median <"$work/script-$size.s" | awk -v n="$size" '{ printf "%.1f ms, %.0f us per declaration", $1 * 1e3, $1 * 1e6 / n }')"
        done
        echo "  growth 100 -> 1000: $(median_ratio "$work/script-1000.s" "$work/script-100.s")x"

        expansion small "${bins[@]}"
        # The same in the in-process bench's largest package, 1,000
        # declarations over 100 pools with every trigger of a pool on one
        # function (26 binaries of 30-50 declarations, within CloudFormation's
        # quotas, so its build script writes the template): every 2nd binary.
        packages="$dir/large"
        local -a large sample=()
        mapfile -t large < <("$release/build_step_packages" "$packages" 1000 100 10)
        for ((i = 0; i < ${#large[@]}; i += 2)); do sample+=("${large[i]}"); done
        echo "large packages: ${#large[@]} binaries each, in $packages; timing ${#sample[@]} of them"
        expansion large "${sample[@]}"
    )
    machine
}

case "${1:-process}" in
process) process ;;
events) events ;;
build) build_step ;;
all) events && process && build_step ;;
*)
    echo "usage: $0 [process|events|build|all]" >&2
    exit 2
    ;;
esac
