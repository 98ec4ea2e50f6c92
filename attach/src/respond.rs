//! The answer to CloudFormation: a PUT of the response document to the
//! pre-signed URL the request carries, only if that URL is CloudFormation's.

use crate::request::Response;
use http_body_util::{BodyExt, Full};
use hyper::Uri;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// The S3 bucket CloudFormation's pre-signed response URLs point into, one
/// per region: `cloudformation-custom-resource-response-<region without
/// dashes>` (e.g. `...-useast1`), as AWS's VPC endpoint guide names it.
const BUCKET_PREFIX: &str = "cloudformation-custom-resource-response-";

/// Whether the function may answer at `url`: https to CloudFormation's
/// response bucket on S3 (virtual-hosted or path style, the global,
/// regional, legacy `s3-<region>`, dual-stack and China endpoints), or a
/// loopback address (tests). Anything else, plain http to another host
/// above all, could carry the answer (and what it says of the pool) to
/// whoever forged the request, or make the function call into a network.
pub fn check_url(url: &str) -> Result<(), String> {
    let refused = || {
        format!(
            "the ResponseURL is not CloudFormation's (https://{BUCKET_PREFIX}<region>.s3...amazonaws.com/...) nor a loopback address, so the function neither acts nor answers: only CloudFormation's requests are answered"
        )
    };
    let uri: Uri = url.parse().map_err(|_| refused())?;
    let host = uri.host().ok_or_else(refused)?.to_ascii_lowercase();
    if is_loopback(&host) && matches!(uri.scheme_str(), Some("http" | "https")) {
        return Ok(());
    }
    if uri.scheme_str() != Some("https") || uri.port().is_some_and(|p| p.as_u16() != 443) {
        return Err(refused());
    }
    let bucket_host = host
        .strip_prefix(BUCKET_PREFIX)
        .and_then(|rest| rest.split_once('.'))
        .filter(|(region, endpoint)| is_region_label(region) && is_s3_endpoint(endpoint));
    let path_style = is_s3_endpoint(&host)
        && uri
            .path()
            .strip_prefix('/')
            .and_then(|path| path.strip_prefix(BUCKET_PREFIX))
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(region, _)| is_region_label(region));
    if bucket_host.is_some() || path_style {
        Ok(())
    } else {
        Err(refused())
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A region without its dashes: `useast1`, `cnnorth1`, `usgovwest1`.
fn is_region_label(label: &str) -> bool {
    !label.is_empty()
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// `s3.amazonaws.com`, `s3.<region>.amazonaws.com`, `s3-<region>.amazonaws.com`,
/// `s3.dualstack.<region>.amazonaws.com`, and their `.amazonaws.com.cn` forms.
fn is_s3_endpoint(host: &str) -> bool {
    let Some(rest) = host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))
    else {
        return false;
    };
    let region = |r: &str| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    rest == "s3"
        || rest.strip_prefix("s3.dualstack.").is_some_and(region)
        || rest.strip_prefix("s3.").is_some_and(region)
        || rest.strip_prefix("s3-").is_some_and(region)
}

/// PUTs `response` to `url`, once [`check_url`] allows it.
pub async fn send(url: &str, response: &Response) -> Result<(), String> {
    check_url(url)?;
    let body = serde_json::to_vec(response).map_err(|e| e.to_string())?;
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .map_err(|e| format!("no TLS root certificates: {e}"))?
        // Plain http only reaches loopback: check_url refused the rest.
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

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn only_cloudformations_response_bucket_and_loopback() {
        for allowed in [
            "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws/x?X-Amz-Signature=a",
            "https://cloudformation-custom-resource-response-euwest1.s3-eu-west-1.amazonaws.com/x",
            "https://cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com/x",
            "https://cloudformation-custom-resource-response-apsoutheast2.s3.dualstack.ap-southeast-2.amazonaws.com/x",
            "https://cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn/x",
            "https://s3.eu-west-1.amazonaws.com/cloudformation-custom-resource-response-euwest1/x",
            "http://127.0.0.1:8080/response",
            "http://[::1]:8080/response",
            "http://localhost:8080/response",
        ] {
            assert_eq!(check_url(allowed), Ok(()), "{allowed}");
        }
        for refused in [
            "http://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
            "http://example.com/response",
            "http://10.0.0.1/response",
            "http://169.254.169.254/latest/meta-data/",
            "https://example.com/response",
            "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com.evil.example/x",
            "https://cloudformation-custom-resource-response-useast1.evil.example/x",
            "https://attacker-bucket.s3.amazonaws.com/x",
            "https://s3.amazonaws.com/attacker-bucket/x",
            "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com:8443/x",
            "ftp://127.0.0.1/x",
            "not a url",
        ] {
            assert!(check_url(refused).is_err(), "{refused}");
        }
    }
}
