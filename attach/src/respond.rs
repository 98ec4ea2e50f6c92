//! The answer to CloudFormation: a PUT of the response document to the
//! pre-signed URL the request carries.

use crate::request::Response;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

pub async fn send(url: &str, response: &Response) -> Result<(), String> {
    let body = serde_json::to_vec(response).map_err(|e| e.to_string())?;
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .map_err(|e| format!("no TLS root certificates: {e}"))?
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build(connector);
    let request = hyper::Request::put(url)
        // The URL is signed for an empty content type.
        .header("content-type", "")
        .header("content-length", body.len())
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("invalid response URL: {e}"))?;
    let answer = client
        .request(request)
        .await
        .map_err(|e| format!("PUT to the response URL: {e}"))?;
    let status = answer.status();
    if status.is_success() {
        return Ok(());
    }
    let text = answer
        .into_body()
        .collect()
        .await
        .map(|b| String::from_utf8_lossy(&b.to_bytes()).into_owned())
        .unwrap_or_default();
    Err(format!("the response URL answered {status}: {text}"))
}
