//! Shows the local endpoint's tests what a function process sees: its answer
//! carries every environment variable and the process ID as ID token
//! claims, and it logs a line naming the user. A user named `sleep-<ms>` is
//! answered after that many milliseconds.

use cognito_trigger::events::PreTokenGenerationEvent;
use cognito_trigger::{Error, cognito_trigger, tracing};

#[cognito_trigger(pool = "BrokenPool", trigger = PreTokenGeneration)]
async fn inspect(mut event: PreTokenGenerationEvent) -> Result<PreTokenGenerationEvent, Error> {
    tracing::info!(user = %event.user_name, "inspecting");
    if let Some(ms) = event.user_name.strip_prefix("sleep-") {
        let ms = ms
            .parse()
            .map_err(|e: std::num::ParseIntError| Error::internal(e.to_string()))?;
        // Holds the process, as a slow synchronous call would.
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    for (name, value) in std::env::vars() {
        event.add_claim(name, value);
    }
    event.add_claim("pid", std::process::id().to_string());
    Ok(event)
}
