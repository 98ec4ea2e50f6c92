//! The whole-process harness still drives both trigger binaries end to end
//! (a few invocations, no timing asserted: `run.sh` measures).

use std::process::Command;

fn invoke(trigger: &str) -> String {
    let event = concat!(env!("CARGO_MANIFEST_DIR"), "/events/pre_sign_up.json");
    let output = Command::new(env!("CARGO_BIN_EXE_invoke_loop"))
        .args([trigger, event, "3"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{trigger}: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn both_binaries_answer_the_runtime_api() {
    for trigger in [
        env!("CARGO_BIN_EXE_toolkit_pre_sign_up"),
        env!("CARGO_BIN_EXE_baseline_pre_sign_up"),
    ] {
        let figures = invoke(trigger);
        assert!(
            figures.starts_with("cold_start_us=") && figures.contains(" per_s="),
            "{figures}"
        );
    }
}
