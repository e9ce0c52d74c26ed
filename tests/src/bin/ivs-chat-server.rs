//! The end-to-end suite's local IVS Chat API server as a program, to run the
//! room functions against on your machine (`cargo lambda watch`,
//! `sam local invoke`, `sam local start-lambda`) instead of the real
//! service.
//!
//! ```text
//! cargo run -p e2e-tests --bin ivs-chat-server -- [ADDRESS]   # default 127.0.0.1:4599
//! ```
//!
//! It knows the rooms the sample events in `events/` name
//! ([`e2e_tests::server::sample_rooms`]), accepts requests signed with the
//! access key `AKIDE2ETESTKEY` and the secret key it prints, answers
//! `SendEvent`, `DisconnectUser`, `DeleteMessage`, `ListRooms` and SQS
//! `SendMessage` as the suite's server does (validation, unknown rooms), and
//! prints one JSON line per request it received on stdout:
//! `{"operation", "body", "status", "authError"}`. The first line says where
//! it listens and which keys to use.

use std::process::ExitCode;
use std::time::Duration;

use e2e_tests::server::{sample_rooms, FakeIvsChat, ACCESS_KEY, SECRET_KEY};
use serde_json::json;

const DEFAULT_ADDRESS: &str = "127.0.0.1:4599";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let address = match (args.next(), args.next()) {
        (None, _) => DEFAULT_ADDRESS.to_string(),
        (Some(a), None) if !a.starts_with('-') => a,
        _ => {
            eprintln!("usage: ivs-chat-server [ADDRESS]   (default {DEFAULT_ADDRESS})");
            return ExitCode::from(2);
        }
    };
    let server = match FakeIvsChat::start_on(&address, sample_rooms(), 50) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("ivs-chat-server: cannot listen on {address}: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "{}",
        json!({
            "listening": server.url(),
            "accessKeyId": ACCESS_KEY,
            "secretAccessKey": SECRET_KEY,
            "rooms": sample_rooms().iter().map(|r| &r.arn).collect::<Vec<_>>(),
        })
    );
    // Calls are recorded by the server's threads before they are answered
    // (status 0 until then): print them in arrival order, each once it has
    // its answer. This server injects no slow answers, so every call gets
    // one.
    let mut printed = 0;
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let calls = server.calls();
        let answered = calls[printed..]
            .iter()
            .take_while(|call| call.status != 0)
            .count();
        for call in &calls[printed..printed + answered] {
            println!(
                "{}",
                json!({
                    "operation": call.operation,
                    "body": call.body,
                    "status": call.status,
                    "authError": call.auth_error,
                })
            );
        }
        printed += answered;
    }
}
