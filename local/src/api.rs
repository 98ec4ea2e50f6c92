//! The Lambda invoke API over the process pools: routing, the invocation
//! types, the payload limits, and Lambda's documents for function and API
//! errors.

use crate::server::Shared;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Lambda's payload limits: synchronous and asynchronous invocations.
const SYNC_LIMIT: usize = 6 * 1024 * 1024;
const ASYNC_LIMIT: usize = 1024 * 1024;
/// `X-Amz-Log-Result` carries the log's last 4 KB.
const TAIL: usize = 4 * 1024;
/// The waits before the two retries of a failed asynchronous invocation:
/// Lambda waits about one minute, then two; shortened for local runs.
const RETRY_DELAYS: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(2)];

/// `X-Amz-Invocation-Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum InvocationType {
    /// Synchronous, the default: the answer is the function's.
    RequestResponse,
    /// Asynchronous: 202, and the function runs in the background.
    Event,
    /// 204, and nothing runs.
    DryRun,
}

impl InvocationType {
    /// The header's value (none: `RequestResponse`), or the API's
    /// `ValidationException` message for another.
    fn from_header(value: Option<&str>) -> Result<Self, String> {
        match value.unwrap_or("RequestResponse") {
            "RequestResponse" => Ok(Self::RequestResponse),
            "Event" => Ok(Self::Event),
            "DryRun" => Ok(Self::DryRun),
            other => Err(format!(
                "1 validation error detected: Value '{other}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"
            )),
        }
    }

    /// The largest payload Lambda takes for it.
    fn limit(self) -> usize {
        match self {
            Self::RequestResponse | Self::DryRun => SYNC_LIMIT,
            Self::Event => ASYNC_LIMIT,
        }
    }
}

impl Shared {
    /// The answer to one request of the invoke API.
    pub(crate) async fn answer(
        self: Arc<Self>,
        request: Request<Incoming>,
    ) -> Response<Full<Bytes>> {
        let path = request.uri().path();
        let name = path
            .strip_prefix("/2015-03-31/functions/")
            .and_then(|rest| rest.strip_suffix("/invocations"))
            .filter(|_| request.method() == hyper::Method::POST);
        let Some(name) = name else {
            let message = format!("unknown operation {} {path}", request.method());
            return error(404, "UnknownOperationException", message);
        };
        let name = function_name(name);
        let Some(pool) = self.pool(&name) else {
            let message = format!(
                "Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}"
            );
            return error(404, "ResourceNotFoundException", message);
        };
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let kind = match InvocationType::from_header(header("X-Amz-Invocation-Type").as_deref()) {
            Ok(kind) => kind,
            Err(message) => return error(400, "ValidationException", message),
        };
        let tail = header("X-Amz-Log-Type").is_some_and(|t| t == "Tail");
        let limit = kind.limit();
        let payload = match read_body(request.into_body(), limit).await {
            Ok(Some(payload)) => payload,
            Ok(None) => {
                let message = format!(
                    "Request must be smaller than {limit} bytes for the InvokeFunction operation"
                );
                return error(413, "RequestTooLargeException", message);
            }
            Err(cause) => return error(400, "InvalidRequestContentException", cause.to_string()),
        };
        // An empty payload is passed on as it is.
        if let Some(cause) = (!payload.is_empty())
            .then(|| serde_json::from_slice::<Value>(&payload).err())
            .flatten()
        {
            let message = format!(
                "Could not parse request body into json: Could not parse payload into json: {cause}"
            );
            return error(400, "InvalidRequestContentException", message);
        }
        match kind {
            InvocationType::DryRun => respond(204, &[], Vec::new()),
            InvocationType::Event => {
                tokio::spawn(self.deliver(name, payload));
                respond(202, &[], Vec::new())
            }
            InvocationType::RequestResponse => {
                let Some(lease) = self.lease(&pool) else {
                    return throttled();
                };
                let (body, error_type, log) = lease.invoke(payload).await;
                let mut headers = vec![
                    ("Content-Type", "application/json".to_owned()),
                    ("X-Amz-Executed-Version", "$LATEST".to_owned()),
                ];
                if error_type.is_some() {
                    headers.push(("X-Amz-Function-Error", "Unhandled".to_owned()));
                }
                if tail {
                    let log = log.as_bytes();
                    let last = &log[log.len().saturating_sub(TAIL)..];
                    headers.push(("X-Amz-Log-Result", base64(last)));
                }
                respond(200, &headers, body)
            }
        }
    }

    /// An asynchronous invocation: it waits for a free process (Lambda
    /// queues it), and a function error is retried twice, after the
    /// [`RETRY_DELAYS`]; then it is dropped, with a line saying so.
    async fn deliver(self: Arc<Self>, name: String, payload: Bytes) {
        for attempt in 0..=RETRY_DELAYS.len() {
            let lease = loop {
                if self.stopped.load(Ordering::SeqCst) {
                    return;
                }
                if let Some(lease) = self.pool(&name).and_then(|pool| self.lease(&pool)) {
                    break lease;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            let (_, error_type, _) = lease.invoke(payload.clone()).await;
            let Some(error_type) = error_type else {
                return;
            };
            match RETRY_DELAYS.get(attempt) {
                Some(delay) => tokio::time::sleep(*delay).await,
                None => eprintln!(
                    "{name}: an asynchronous invocation failed {} times ({error_type}) and is dropped; Lambda would send it to the function's dead-letter queue or on-failure destination",
                    attempt + 1
                ),
            }
        }
    }
}

/// The request's body, or `None` if it is over `limit` bytes. A body over
/// the limit is still read to its end, so that the client, which sends all
/// of it before reading, gets the answer rather than a reset connection.
async fn read_body(mut body: Incoming, limit: usize) -> Result<Option<Bytes>, hyper::Error> {
    let mut payload = Vec::new();
    let mut length = 0;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            length += data.len();
            if length <= limit {
                payload.extend_from_slice(&data);
            }
        }
    }
    Ok((length <= limit).then(|| Bytes::from(payload)))
}

/// The function's name from the path: a name, a (URL-encoded) ARN, either
/// possibly with a `:qualifier`.
fn function_name(raw: &str) -> String {
    let decoded = raw.replace("%3A", ":").replace("%3a", ":");
    let name = decoded
        .rsplit_once("function:")
        .map_or(decoded.as_str(), |(_, name)| name);
    name.split(':').next().unwrap_or(name).to_owned()
}

pub(crate) fn error_body(error_type: &str, error_message: &str) -> Vec<u8> {
    json!({"errorType": error_type, "errorMessage": error_message})
        .to_string()
        .into_bytes()
}

fn respond(status: u16, headers: &[(&str, String)], body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).expect("a valid status");
    for (name, value) in headers {
        response.headers_mut().insert(
            hyper::header::HeaderName::from_bytes(name.as_bytes()).expect("a valid name"),
            hyper::header::HeaderValue::from_str(value).expect("a valid value"),
        );
    }
    response
}

/// An error of the Lambda API itself, in its shape: the type in
/// `x-amzn-ErrorType`, and `{"Type", "message"}`.
fn error(status: u16, error_type: &str, message: String) -> Response<Full<Bytes>> {
    api_error(
        status,
        error_type,
        json!({"Type": "User", "message": message}),
    )
}

fn api_error(status: u16, error_type: &str, body: Value) -> Response<Full<Bytes>> {
    respond(
        status,
        &[
            ("Content-Type", "application/json".to_owned()),
            ("x-amzn-ErrorType", error_type.to_owned()),
        ],
        body.to_string().into_bytes(),
    )
}

/// Lambda's answer when a function is at its concurrency limit.
fn throttled() -> Response<Full<Bytes>> {
    api_error(
        429,
        "TooManyRequestsException",
        json!({
            "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
            "Type": "User",
            "message": "Rate Exceeded.",
        }),
    )
}

/// Standard base64, padded, as `X-Amz-Log-Result` is.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_arns_and_qualifiers() {
        assert_eq!(function_name("pre_sign_up"), "pre_sign_up");
        assert_eq!(
            function_name("PreSignUpLambdaFunction:%24LATEST"),
            "PreSignUpLambdaFunction"
        );
        assert_eq!(
            function_name("arn%3Aaws%3Alambda%3Aus-east-1%3A123%3Afunction%3AF"),
            "F"
        );
    }

    #[test]
    fn base64_as_rfc_4648_gives_it() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }
}
