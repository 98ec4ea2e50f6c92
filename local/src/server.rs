//! The invoke API server: one thread per connection, one invocation at a
//! time per function (a Lambda instance handles one event at a time).

use crate::Function;
use cognito_trigger::testing::http::{Request, read_request, write_response};
use cognito_trigger::testing::{Invocation, InvokeError, LambdaProcess};
use serde_json::json;
use std::io::{self, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// One invocation, as the server saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub function: String,
    pub trigger_source: String,
    /// `None` on success, else the `errorType` returned.
    pub error_type: Option<String>,
}

pub struct Server {
    address: SocketAddr,
    shared: Arc<Shared>,
}

struct Shared {
    functions: Vec<(Function, Mutex<LambdaProcess>)>,
    records: Mutex<Vec<Record>>,
    stopped: AtomicBool,
}

impl Server {
    /// Serves `functions` on 127.0.0.1:`port` (0: any free port).
    pub fn start(functions: Vec<Function>, port: u16) -> io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let address = listener.local_addr()?;
        let functions = functions
            .into_iter()
            .map(|f| {
                let process = LambdaProcess::new(&f.binary, &f.logical_id).timeout(f.timeout);
                (f, Mutex::new(process))
            })
            .collect();
        let shared = Arc::new(Shared {
            functions,
            records: Mutex::new(Vec::new()),
            stopped: AtomicBool::new(false),
        });
        let serving = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if serving.stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&serving);
                thread::spawn(move || shared.connection(stream));
            }
        });
        Ok(Server { address, shared })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every invocation so far, in order.
    pub fn records(&self) -> Vec<Record> {
        self.shared.records.lock().expect("not poisoned").clone()
    }

    /// Stops serving and the function processes.
    pub fn stop(&self) {
        if self.shared.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        let _ = TcpStream::connect(self.address);
        for (_, process) in &self.shared.functions {
            if let Ok(mut process) = process.lock() {
                process.stop();
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Shared {
    fn connection(&self, stream: TcpStream) {
        let Ok(mut writer) = stream.try_clone() else {
            return;
        };
        let mut reader = BufReader::new(stream);
        loop {
            let request = match read_request(&mut reader) {
                Ok(Some(request)) => request,
                Ok(None) => return,
                Err(error) => {
                    let body = json!({"Type": "User", "message": error.to_string()}).to_string();
                    let _ = write_response(
                        &mut writer,
                        400,
                        &[("x-amzn-ErrorType", "InvalidRequestContentException")],
                        body.as_bytes(),
                    );
                    return;
                }
            };
            if self.stopped.load(Ordering::SeqCst) || self.answer(&request, &mut writer).is_err() {
                return;
            }
        }
    }

    fn answer(&self, request: &Request, writer: &mut TcpStream) -> io::Result<()> {
        let name = request
            .path
            .strip_prefix("/2015-03-31/functions/")
            .and_then(|rest| rest.split('?').next())
            .and_then(|rest| rest.strip_suffix("/invocations"))
            .filter(|_| request.method == "POST");
        let Some(name) = name else {
            let body = json!({"Type": "User", "message": format!("unknown operation {} {}", request.method, request.path)});
            return write_response(
                writer,
                404,
                &[("x-amzn-ErrorType", "UnknownOperationException")],
                body.to_string().as_bytes(),
            );
        };
        let name = function_name(name);
        let Some((function, process)) = self
            .functions
            .iter()
            .find(|(f, _)| f.logical_id == name || f.bin == name)
        else {
            let body = json!({"Type": "User", "message": format!("Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}")});
            return write_response(
                writer,
                404,
                &[("x-amzn-ErrorType", "ResourceNotFoundException")],
                body.to_string().as_bytes(),
            );
        };
        let trigger_source = serde_json::from_slice::<serde_json::Value>(&request.body)
            .ok()
            .and_then(|event| event["triggerSource"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let outcome = process.lock().expect("not poisoned").invoke(&request.body);
        let (body, error_type) = match outcome {
            Ok(Invocation::Response(body)) => (body, None),
            Ok(Invocation::Error {
                error_type,
                error_message,
            }) => (error_body(&error_type, &error_message), Some(error_type)),
            Err(error) => {
                let error_type = match error {
                    InvokeError::Timeout(_) => "Sandbox.Timedout",
                    InvokeError::Exited(_) => "Runtime.ExitError",
                    InvokeError::Start(_) => "Runtime.InvalidEntrypoint",
                };
                (
                    error_body(error_type, &format!("Error: {error}")),
                    Some(error_type.to_owned()),
                )
            }
        };
        self.records.lock().expect("not poisoned").push(Record {
            function: function.logical_id.clone(),
            trigger_source,
            error_type: error_type.clone(),
        });
        let mut headers = vec![
            ("Content-Type", "application/json"),
            ("X-Amz-Executed-Version", "$LATEST"),
        ];
        if error_type.is_some() {
            headers.push(("X-Amz-Function-Error", "Unhandled"));
        }
        write_response(writer, 200, &headers, &body)
    }
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

fn error_body(error_type: &str, error_message: &str) -> Vec<u8> {
    json!({"errorType": error_type, "errorMessage": error_message})
        .to_string()
        .into_bytes()
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
}
