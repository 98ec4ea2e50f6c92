#!/usr/bin/env bash
# Issue 16: what decrypting a custom sender's code costs, in build time,
# binary size and cold start. BENCHMARKS.md ("Decrypting custom senders'
# codes") records and explains the figures.
#
#   nice -n 19 benchmarks/decrypt_cold.sh
#
# Builds examples/custom-senders with the workspace's release profile into
# target/release (timed: the build time is that of whatever target/release
# already holds, so the script prints how many crates were fresh and how many
# it compiled), then measures the cold start (exec to first response, with
# benchmarks/src/bin/invoke_loop.rs playing the Lambda Runtime API) of:
#
#   sms         custom_sms_sender: no decryption, the baseline (checks that
#               the event has a code and returns the event)
#   email_none  custom_email_sender on an event without a code: its Setup
#               (CodeDecryptor::from_env: aws-config, the KMS client) runs,
#               `decrypt` returns None without calling KMS
#   email_bundle  email_none with the root certificates of the bundle file
#               alone (below)
#   email_code  custom_email_sender on an event with a code Cognito's way
#               (AWS Encryption SDK, suite 0x0378, the pool in the context):
#               Setup, then the first decrypt, with one KMS Decrypt call to
#               moto on loopback (plain HTTP: no TLS handshake)
#
# in COLD_ROUNDS (101) rounds, the order alternating from round to round,
# with, in each round, moto's own Decrypt round trip (curl) and each binary's
# exec to exit when it stops before its first request (what loading it
# costs). Per round, email_none - sms is what Setup (and loading the larger
# binary) adds, email_code - email_none what the first decrypt adds.
#
# SENDERS_DIR=<dir> measures the custom_sms_sender and custom_email_sender
# found there instead of building (for a before/after comparison: build
# each state's binaries, copy them aside, then run this on each in turn).
#
# KMS is moto's ($VENV/bin/moto_server, VENV default target/ci/venv, which
# also holds aws-encryption-sdk to encrypt the code), on a free loopback
# port, stopped by its PID on exit. Run the whole script with `nice -n 19`
# on a shared machine: every child inherits it. Scratch files go to
# target/bench/decrypt-cold; nothing else is removed.
set -euo pipefail
cd "$(dirname "$0")/.."
COLD_ROUNDS="${COLD_ROUNDS:-101}"
VENV="${VENV:-$PWD/target/ci/venv}"
scratch="$PWD/target/bench/decrypt-cold"
release="$PWD/target/release"
mkdir -p "$scratch"
work="$(mktemp -d "$scratch/run.XXXXXX")"
moto=
stop() {
    if [[ -n "$moto" ]]; then kill "$moto" 2>/dev/null || true; wait "$moto" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap stop EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
whole() { median | xargs printf '%.0f'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median_ratio() { paste "$1" "$2" | awk '{ print $1 / $2 }' | median | xargs printf '%.2f'; }
median_difference() { paste "$1" "$2" | awk '{ print $1 - $2 }' | whole; }
machine() {
    echo "machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), load $(cut -d' ' -f1-3 /proc/loadavg), nice $(nice)"
    echo "  root certificates: SSL_CERT_FILE=${SSL_CERT_FILE:-unset}, SSL_CERT_DIR=${SSL_CERT_DIR:-unset} ($(ls -A "${SSL_CERT_DIR:-/etc/ssl/certs}" | wc -l) entries)"
}

machine

if [[ -n "${SENDERS_DIR:-}" ]]; then
    release="$(cd "$SENDERS_DIR" && pwd)"
    echo "build: none, the binaries of $release"
else
# The build, as a sender's developer runs it.
started=$(date +%s.%N)
cargo build --release --locked -v -p example-custom-senders >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    exit 1
}
ended=$(date +%s.%N)
echo "build: $(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", b - a }') s" \
    "(cargo build --release -p example-custom-senders; $(grep -c '^ *Fresh ' "$work/build.log" || true) crates fresh," \
    "$(grep -c '^ *Compiling ' "$work/build.log" || true) compiled)"
if grep -q '^ *Compiling ' "$work/build.log"; then
    grep '^ *Compiling ' "$work/build.log" | sed 's/ (\/.*//; s/^ *Compiling //' | paste -sd, - |
        sed 's/,/, /g' | fold -s -w 98 | sed 's/^/  /'
fi
fi
sms="$release/custom_sms_sender"
email="$release/custom_email_sender"
echo "binary size: custom_email_sender $(stat -c %s "$email") B, custom_sms_sender $(stat -c %s "$sms") B," \
    "ratio $(ratio "$(stat -c %s "$email")" "$(stat -c %s "$sms")")"

# The harness: std only, so rustc alone builds it.
rustc --edition 2024 -C opt-level=3 -o "$scratch/invoke_loop" benchmarks/src/bin/invoke_loop.rs

# KMS: moto, with one key.
port=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/moto-api/" && break
    sleep 0.1
done
key_arn=$(curl -sf "http://127.0.0.1:$port/" \
    -H 'X-Amz-Target: TrentService.CreateKey' \
    -H 'Content-Type: application/x-amz-json-1.1' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0' \
    -d '{}' | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["KeyMetadata"]["Arn"])')
# What the senders and the encryption below read: Lambda's, without profile files.
export AWS_ENDPOINT_URL_KMS="http://127.0.0.1:$port" AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local KMS_KEY_ARN="$key_arn" \
    AWS_CONFIG_FILE="$work/no-config" AWS_SHARED_CREDENTIALS_FILE="$work/no-credentials"
echo "kms: moto $("$VENV/bin/python" -c 'import moto; print(moto.__version__)') on 127.0.0.1:$port, key $key_arn"

# The events: the fixtures, with a code encrypted as Cognito does (suite
# 0x0378, the pool in the encryption context). invoke_loop checks each
# response for `"autoConfirmUser":true`, so each event carries that key at
# its top level; the senders return their event, unknown keys included.
"$VENV/bin/python" - "$work" <<'EOF'
import base64, json, sys
import aws_encryption_sdk, botocore.session
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.identifiers import Algorithm
import os

work = sys.argv[1]
fixtures = "runtime/tests/fixtures/events"
client = aws_encryption_sdk.EncryptionSDKClient(
    commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(
    key_ids=[os.environ["KMS_KEY_ARN"]], botocore_session=botocore.session.Session())

def event(path, code):
    with open(f"{fixtures}/{path}") as f:
        event = json.load(f)
    if code:
        ciphertext, _ = client.encrypt(
            source=b"123456", key_provider=provider,
            algorithm=Algorithm.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
            encryption_context={"userpool-id": event["userPoolId"]}, frame_length=4096)
        event["request"]["code"] = base64.b64encode(ciphertext).decode()
    else:
        del event["request"]["code"]
    event["autoConfirmUser"] = True
    return json.dumps(event, separators=(",", ":"))

for name, path, code in [
    ("sms", "custom_sms_sender/CustomSMSSender_SignUp.json", True),
    ("email_none", "custom_email_sender/CustomEmailSender_SignUp.json", False),
    ("email_code", "custom_email_sender/CustomEmailSender_SignUp.json", True),
]:
    with open(f"{work}/{name}.json", "w") as f:
        f.write(event(path, code) + "\n")
EOF

# email_bundle: email_none with SSL_CERT_DIR an empty directory, so the HTTPS
# client's root store comes from the bundle alone ($SSL_CERT_FILE, or the one
# openssl-probe finds), as on Lambda's Amazon Linux 2023, whose certificate
# directory holds the bundles only; here it also holds a file per root.
mkdir -p "$work/no-certs"
loop() {
    local binary=$sms event=$1
    [[ $1 == email_* ]] && binary=$email
    if [[ $1 == email_bundle ]]; then
        SSL_CERT_DIR="$work/no-certs" "$scratch/invoke_loop" "$binary" "$work/email_none.json" "$2"
    else
        "$scratch/invoke_loop" "$binary" "$work/$event.json" "$2"
    fi
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

# Once each, with the outbox on: the email sender must have decrypted the code.
mkdir -p "$work/outbox"
for binary in sms email_none email_code; do
    OUTBOX_DIR="$work/outbox" loop "$binary" 2 >/dev/null
done
grep -q 'is 123456' "$work/outbox/"*SignUp.eml || {
    echo "the email sender did not decrypt the code" >&2
    exit 1
}
echo "check: custom_email_sender decrypted the code (123456) through moto"

# moto's own Decrypt round trip, as curl sees it (a new connection each
# time, as the sender's first call makes): a data key under the pool's
# context, encrypted once, decrypted in every round.
kms() {
    curl -sf "$AWS_ENDPOINT_URL_KMS/" -H "X-Amz-Target: TrentService.$1" \
        -H 'Content-Type: application/x-amz-json-1.1' \
        -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0' \
        -d "$2" "${@:3}"
}
context='"EncryptionContext": {"userpool-id": "us-east-1_EXAMPLE1a"}'
blob=$(kms Encrypt "{\"KeyId\": \"$key_arn\", \"Plaintext\": \"$(head -c 32 /dev/zero | base64)\", $context}" |
    "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["CiphertextBlob"])')
decrypt_request="{\"KeyId\": \"$key_arn\", \"CiphertextBlob\": \"$blob\", $context}"
kms_rtt() { kms Decrypt "$decrypt_request" -o /dev/null -w '%{time_total}\n' | awk '{ printf "%.0f\n", $1 * 1e6 }'; }

# Each binary's exec to exit when it fails before its first request, in the
# same place: without KMS_KEY_ARN nor the Lambda variables, the email sender
# stops in Setup before aws-config is loaded, the SMS sender where
# lambda_runtime reads its configuration. What loading each binary (and
# starting the log and tokio) costs; bash's clock, a fork more than the rest.
exits() {
    local binary=$sms started
    [[ $1 == email ]] && binary=$email
    started=$EPOCHREALTIME
    env -u KMS_KEY_ARN RUST_BACKTRACE=0 "$binary" >/dev/null 2>&1 || true
    awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f\n", (b - a) * 1e6 }'
}

orders=("sms email_none email_bundle email_code kms sms_exit email_exit"
    "email_exit sms_exit kms email_code email_bundle email_none sms")
for round in $(seq "$COLD_ROUNDS"); do
    for binary in ${orders[round % 2]}; do
        case $binary in
        kms) kms_rtt >>"$work/kms.us" ;;
        *_exit) exits "${binary%_exit}" >>"$work/$binary.us" ;;
        *) loop "$binary" 2 | field cold_start_us >>"$work/$binary.cold" ;;
        esac
    done
done
echo "cold start (exec to first response), medians of $COLD_ROUNDS alternating rounds:"
for binary in sms email_none email_bundle email_code; do
    echo "  $binary: $(whole <"$work/$binary.cold") us"
done
echo "  email_none/sms $(median_ratio "$work/email_none.cold" "$work/sms.cold")," \
    "email_code/sms $(median_ratio "$work/email_code.cold" "$work/sms.cold")," \
    "email_code/email_none $(median_ratio "$work/email_code.cold" "$work/email_none.cold")"
echo "  per round: setup (email_none - sms) $(median_difference "$work/email_none.cold" "$work/sms.cold") us," \
    "first decrypt (email_code - email_none) $(median_difference "$work/email_code.cold" "$work/email_none.cold") us," \
    "both (email_code - sms) $(median_difference "$work/email_code.cold" "$work/sms.cold") us"
paste "$work/email_code.cold" "$work/email_none.cold" "$work/kms.us" | awk '{ print $1 - $2 - $3 }' >"$work/decrypt_rest.us"
echo "  moto's Decrypt round trip (curl, new connection) $(whole <"$work/kms.us") us;" \
    "first decrypt less that, per round $(whole <"$work/decrypt_rest.us") us"
echo "  exec to exit before the first request: custom_sms_sender $(whole <"$work/sms_exit.us") us," \
    "custom_email_sender $(whole <"$work/email_exit.us") us, per round difference" \
    "$(median_difference "$work/email_exit.us" "$work/sms_exit.us") us"
paste "$work/email_none.cold" "$work/sms.cold" "$work/email_exit.us" "$work/sms_exit.us" |
    awk '{ print ($1 - $2) - ($3 - $4) }' >"$work/setup_rest.us"
echo "  setup less the larger binary's loading, per round $(whole <"$work/setup_rest.us") us"
echo "  root store: the certificate directory's files (email_none - email_bundle)" \
    "$(median_difference "$work/email_none.cold" "$work/email_bundle.cold") us, per round;" \
    "setup with the bundle alone (email_bundle - sms) $(median_difference "$work/email_bundle.cold" "$work/sms.cold") us," \
    "email_bundle/sms $(median_ratio "$work/email_bundle.cold" "$work/sms.cold")"
for binary in sms email_none email_bundle email_code; do
    echo "  $binary quartiles: $(sort -g "$work/$binary.cold" | awk '{ v[NR] = $1 } END { printf "%d / %d / %d us", v[int(NR / 4) + 1], v[int(NR / 2) + 1], v[int(3 * NR / 4) + 1] }')"
done
mkdir -p "$scratch/last"
cp "$work"/*.cold "$work"/*.us "$work"/*.json "$scratch/last/"
machine
