//! Arbitrary bytes as a review event, through the handler's own review
//! function: any JSON must give a contract-valid answer or a clean error.
#![no_main]

use std::sync::OnceLock;

use chat_filter::Filter;
use ivs_chat::{ReviewEvent, ReviewResult};
use libfuzzer_sys::fuzz_target;
use message_review::Config;

fn built() -> &'static (Config, Filter) {
    static BUILT: OnceLock<(Config, Filter)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let config = Config::default();
        let filter = config.build_filter().expect("the default configuration builds");
        (config, filter)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(event) = serde_json::from_slice::<ReviewEvent>(data) else {
        return;
    };
    let (config, filter) = built();
    let response = message_review::review(filter, config, &event);
    match response.review_result {
        ReviewResult::Allow => {
            assert_eq!(response.content.chars().count(), event.content.chars().count());
            assert_eq!(response.attributes, event.attributes);
        }
        ReviewResult::Deny => {
            assert_eq!(response.content, event.content);
            assert!(response.attributes.contains_key("Reason"));
        }
    }
    let size: usize = response.attributes.iter().map(|(k, v)| k.len() + v.len()).sum();
    assert!(response.review_result == ReviewResult::Allow || size <= 1024);
    assert!(serde_json::to_vec(&response).is_ok());
});
