//! moto's server for the tests that need KMS (`mod moto;` in decrypt.rs
//! and seal.rs): started on a free port of 127.0.0.1, killed when dropped.
//! moto comes from tests/requirements.txt (.ci/run installs it).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// moto's server; killed when dropped.
pub struct Moto {
    child: Child,
    address: SocketAddr,
}

impl Moto {
    pub fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server runs: install tests/requirements.txt (.ci/run does)");
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        while !Self::answers(address) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { child, address }
    }

    fn answers(address: SocketAddr) -> bool {
        let Ok(mut stream) = TcpStream::connect(address) else {
            return false;
        };
        let request = "GET /moto-api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        let mut response = String::new();
        stream.write_all(request.as_bytes()).is_ok()
            && stream.read_to_string(&mut response).is_ok()
            && response.starts_with("HTTP/1.1 200")
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
