//! HTTP/1.1 on 127.0.0.1 for tests, on hyper: [`call`], a blocking client
//! for the servers under test (the invoke API, emulators), and [`Server`],
//! which stands in for an endpoint a function calls (CloudFormation's
//! pre-signed response URL, say) and answers each request as told.
//!
//! ```
//! use cognito_trigger_support::http::{Response, Server, call};
//!
//! let server = Server::start(|request| Response {
//!     body: request.body,
//!     ..Response::new(200)
//! })?;
//! let answer = call(server.address(), "PUT", "/echo", &[], b"hello")?;
//! assert_eq!((answer.status, answer.body.as_slice()), (200, &b"hello"[..]));
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Both run on a current-thread tokio runtime of their own (a server on a
//! thread of its own), so they work from synchronous and async tests alike.

use cognito_trigger::testing::loopback;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;
use tokio::sync::oneshot;

/// How long [`call`] waits for the whole answer.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A request, as a [`Server`] received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `PUT`, …
    pub method: String,
    /// The path, with its query if it has one.
    pub path: String,
    /// The headers, in order; hyper gives their names in lower case.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header named `name`, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// An answer: what [`call`] got, or what a [`Server`] sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, in order; hyper gives their names in lower case.
    /// `Content-Length` is set from the body when a [`Server`] sends it.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Response {
    /// An answer with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The first header named `name`, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Sends one request to `address` on a connection of its own, with `Host`
/// and, for a body, `Content-Length` set, and waits up to a minute for the
/// whole answer. An error means no answer: the connection failed (nothing
/// listens yet, say), or the request or the answer is malformed.
pub fn call(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Response> {
    let mut request = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header(hyper::header::HOST, address.to_string())
        .body(Full::new(Bytes::copy_from_slice(body)))
        .map_err(invalid_input)?;
    for (name, value) in headers {
        request.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).map_err(invalid_input)?,
            HeaderValue::from_str(value).map_err(invalid_input)?,
        );
    }
    let exchange = move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(async {
                tokio::time::timeout(TIMEOUT, send(address, request))
                    .await
                    .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no answer in time"))?
            })
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        // A runtime cannot be started on a thread that runs async code, as
        // an async test's does: this one runs on a thread of its own.
        thread::spawn(exchange)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    } else {
        exchange()
    }
}

async fn send(address: SocketAddr, request: hyper::Request<Full<Bytes>>) -> io::Result<Response> {
    let stream = tokio::net::TcpStream::connect(address).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .map_err(io::Error::other)?;
    tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(io::Error::other)?;
    let status = response.status().as_u16();
    let headers = pairs(response.headers());
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(io::Error::other)?
        .to_bytes()
        .to_vec();
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect()
}

fn invalid_input(error: impl std::error::Error + Send + Sync + 'static) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, error)
}

/// A server on a free port of 127.0.0.1 that answers every request with
/// what its closure returns for it, until dropped.
pub struct Server {
    address: SocketAddr,
    /// Dropping it ends the server.
    stop: Option<oneshot::Sender<()>>,
    serving: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts serving; `answer` is called for each request, once its whole
    /// body has arrived, and may run on another thread than the test's (to
    /// pass requests on, give it an [`mpsc::Sender`](std::sync::mpsc::Sender)).
    pub fn start(answer: impl Fn(Request) -> Response + Send + Sync + 'static) -> io::Result<Self> {
        let (runtime, listener, address) =
            loopback::bind(0, tokio::runtime::Builder::new_current_thread().enable_io())?;
        let answer = Arc::new(answer);
        let (stop, stopped) = oneshot::channel();
        let serving = thread::spawn(move || {
            runtime.block_on(async {
                tokio::spawn(loopback::serve(listener, move |request| {
                    respond(Arc::clone(&answer), request)
                }));
                let _ = stopped.await;
            });
            // Dropping the runtime here ends the accepting loop and every
            // connection.
        });
        Ok(Self {
            address,
            stop: Some(stop),
            serving: Some(serving),
        })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(serving) = self.serving.take() {
            let _ = serving.join();
        }
    }
}

/// The closure's answer to `request`; a body cut short closes the
/// connection.
async fn respond<F>(
    answer: Arc<F>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, hyper::Error>
where
    F: Fn(Request) -> Response,
{
    let (head, body) = request.into_parts();
    let request = Request {
        method: head.method.to_string(),
        path: head
            .uri
            .path_and_query()
            .map_or_else(|| head.uri.to_string(), ToString::to_string),
        headers: pairs(&head.headers),
        body: body.collect().await?.to_bytes().to_vec(),
    };
    let Response {
        status,
        headers,
        body,
    } = answer(request);
    let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in headers {
        // What is no valid header is left out: a test sees it missing.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_call_gets_the_servers_answer() {
        let (sender, received) = mpsc::channel();
        let server = Server::start(move |request| {
            let _ = sender.send(request);
            Response {
                headers: vec![("X-Answer".into(), "yes".into())],
                body: b"done".to_vec(),
                ..Response::new(202)
            }
        })
        .unwrap();
        let response = call(
            server.address(),
            "PUT",
            "/signed?X-Amz-Signature=abc",
            &[("Content-Type", "application/json")],
            b"{}",
        )
        .unwrap();
        assert_eq!(
            (response.status, response.body.as_slice()),
            (202, &b"done"[..])
        );
        assert_eq!(response.header("x-answer"), Some("yes"));
        assert_eq!(response.header("Content-Length"), Some("4"));
        let request = received.recv().unwrap();
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("PUT", "/signed?X-Amz-Signature=abc")
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.body, b"{}");
    }

    #[test]
    fn a_call_to_nothing_is_an_error_and_a_dropped_server_is_nothing() {
        let address = Server::start(|_| Response::new(200)).unwrap().address();
        assert!(call(address, "GET", "/", &[], b"").is_err());
    }

    #[test]
    fn both_work_from_async_code() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            let server = Server::start(|_| Response::new(204)).unwrap();
            let response = call(server.address(), "GET", "/", &[], b"").unwrap();
            assert_eq!(response.status, 204);
        });
    }
}
