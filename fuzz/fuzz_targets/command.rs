//! Arbitrary bytes as a moderation command: validation must accept or
//! reject with an error naming a field, and an accepted command must survive
//! a round trip through its JSON form.
#![no_main]

use ivs_chat::Command;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Command::from_json_str(text) {
        Ok(command) => {
            let again = Command::from_json(&command.to_json()).expect("a valid command re-validates");
            assert_eq!(again, command);
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
