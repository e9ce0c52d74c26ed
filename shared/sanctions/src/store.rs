//! Strikes and sanctions in DynamoDB.
//!
//! One table, one partition per user in a room ([`UserKey::partition`]), so
//! a single strongly consistent query reads everything the policy needs and
//! a single `GetItem` answers the chat-token function. Sort keys:
//!
//! | `sk` | Item | Written |
//! |---|---|---|
//! | `STRIKE#<message id>` | `at_ms`, `weight` | `PutItem` if absent: a record delivered twice counts once |
//! | `SANCTION#<id>` | `kind`, `issued_at_ms`, `until_ms`, `reason`, `source`, `disconnected`, `announced` | `PutItem` if absent: a sanction is created once |
//! | `ACTIVE` | a copy of the sanction in force, for the token function | `PutItem` only if stronger than the one there, or that one has ended |
//!
//! Every item carries `expires_at` (epoch seconds) for DynamoDB's TTL: a
//! strike outlives the policy's longest window, a sanction its end and that
//! window, `ACTIVE` its end (a permanent ban has none). TTL deletes lazily,
//! up to days late, so readers never trust an item's presence alone: they
//! compare `until_ms` with their clock.
//!
//! Why conditional writes rather than a transaction per record: each step
//! (strike, sanction, `ACTIVE`, the two progress flags) is idempotent on its
//! own, so a batch retried after any failure resumes where it stopped; a
//! transaction would add cost without removing a failure mode. `liftSanction`
//! is the one place a transaction earns its keep: the sanction in force and
//! the strikes disappear together or not at all.

use std::collections::HashMap;
use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, Delete, TransactWriteItem};
use ivs_chat::ErrorClass;

use crate::period;
use crate::policy::Strike;
use crate::sanction::{Sanction, SanctionKind, UserKey};

/// The variable naming the table.
pub const TABLE_VAR: &str = "SANCTIONS_TABLE";

/// The most items one `TransactWriteItems` may hold.
const MAX_TRANSACTION_ITEMS: usize = 100;

/// The sort key of the sanction in force.
pub const ACTIVE_SK: &str = "ACTIVE";

type Item = HashMap<String, AttributeValue>;

/// A failed DynamoDB call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("DynamoDB {operation} failed ({class}): {code}: {message}")]
pub struct StoreError {
    /// `PutItem`, `Query`, ...
    pub operation: &'static str,
    /// The service's error code, or the kind of failure.
    pub code: String,
    /// Whether trying again can help.
    pub class: ErrorClass,
    /// What went wrong.
    pub message: String,
}

/// Error codes that mean "try again later".
const TRANSIENT_CODES: [&str; 6] = [
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
];

fn store_error<E, R>(operation: &'static str, err: &SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let detail = aws_sdk_dynamodb::error::DisplayErrorContext(err).to_string();
    let (code, class) = match err {
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or("Unknown").to_string();
            let class = if TRANSIENT_CODES.contains(&code.as_str()) {
                ErrorClass::Transient
            } else {
                ErrorClass::Permanent
            };
            (code, class)
        }
        SdkError::TimeoutError(_) => ("Timeout".to_string(), ErrorClass::Transient),
        SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            ("NetworkError".to_string(), ErrorClass::Transient)
        }
        _ => ("Other".to_string(), ErrorClass::Permanent),
    };
    StoreError {
        operation,
        code,
        class,
        message: detail,
    }
}

fn malformed(operation: &'static str, message: String) -> StoreError {
    StoreError {
        operation,
        code: "MalformedItem".into(),
        class: ErrorClass::Permanent,
        message,
    }
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn get_s(item: &Item, k: &str) -> Option<String> {
    item.get(k).and_then(|v| v.as_s().ok()).cloned()
}

fn get_n(item: &Item, k: &str) -> Option<i64> {
    item.get(k)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
}

fn get_bool(item: &Item, k: &str) -> bool {
    item.get(k)
        .and_then(|v| v.as_bool().ok())
        .copied()
        .unwrap_or(false)
}

/// What the policy needs to know about a user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Strikes not yet expired.
    pub strikes: Vec<Strike>,
    /// Sanctions not yet expired.
    pub sanctions: Vec<Sanction>,
}

/// A progress flag of a sanction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// `DisconnectUser` done.
    Disconnected,
    /// The room event sent.
    Announced,
}

/// The table.
#[derive(Debug, Clone)]
pub struct SanctionStore {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

fn sanction_from(key: &UserKey, item: &Item, id: String) -> Result<Sanction, StoreError> {
    let kind = get_s(item, "kind")
        .and_then(|k| SanctionKind::parse(&k))
        .ok_or_else(|| malformed("GetItem", format!("sanction {id} has no valid kind")))?;
    Ok(Sanction {
        user: key.clone(),
        id,
        kind,
        issued_at_ms: get_n(item, "issued_at_ms").unwrap_or(0),
        until_ms: get_n(item, "until_ms"),
        reason: get_s(item, "reason").unwrap_or_default(),
        source: get_s(item, "source").unwrap_or_default(),
        disconnected: get_bool(item, "disconnected"),
        announced: get_bool(item, "announced"),
    })
}

/// Orders sanctions for `ACTIVE`: bans over timeouts, then the later end.
fn strength(sanction: &Sanction) -> i64 {
    let until = sanction.until_ms.unwrap_or(i64::MAX / 4);
    match sanction.kind {
        SanctionKind::Timeout => until / 2,
        SanctionKind::Ban => i64::MAX / 8 + until / 2,
    }
}

impl SanctionStore {
    /// A store on `table`, with a client from shared AWS configuration
    /// (`AWS_ENDPOINT_URL_DYNAMODB` points it elsewhere).
    pub fn new(config: &SdkConfig, table: impl Into<String>) -> Self {
        SanctionStore::from_client(aws_sdk_dynamodb::Client::new(config), table)
    }

    /// A store around an existing client.
    pub fn from_client(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        SanctionStore {
            client,
            table: table.into(),
        }
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Adds a strike for `message_id` at `at_ms`, kept for `keep`; `false`
    /// when that message already counted.
    pub async fn add_strike(
        &self,
        key: &UserKey,
        message_id: &str,
        at_ms: i64,
        weight: u32,
        keep: Duration,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(key.partition()))
            .item("sk", s(format!("STRIKE#{message_id}")))
            .item("at_ms", n(at_ms))
            .item("weight", n(i64::from(weight)))
            .item("expires_at", n((at_ms + period::millis(keep)) / 1000 + 1))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(SdkError::ServiceError(e)) if e.err().is_conditional_check_failed_exception() => {
                Ok(false)
            }
            Err(e) => Err(store_error("PutItem", &e)),
        }
    }

    /// Everything under the user's partition (one consistent query, paged).
    pub async fn history(&self, key: &UserKey) -> Result<History, StoreError> {
        let mut history = History::default();
        for item in self.items(key).await? {
            let sk = get_s(&item, "sk").unwrap_or_default();
            if sk.starts_with("STRIKE#") {
                history.strikes.push(Strike {
                    at_ms: get_n(&item, "at_ms").unwrap_or(0),
                    weight: get_n(&item, "weight")
                        .and_then(|w| u32::try_from(w).ok())
                        .unwrap_or(0),
                });
            } else if let Some(id) = sk.strip_prefix("SANCTION#") {
                history
                    .sanctions
                    .push(sanction_from(key, &item, id.to_string())?);
            }
        }
        Ok(history)
    }

    async fn items(&self, key: &UserKey) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", s(key.partition()))
                .consistent_read(true)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| store_error("Query", &e))?;
            items.extend(out.items.unwrap_or_default());
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(items),
            }
        }
    }

    /// The sanction recorded as in force (it may have ended since: compare
    /// [`Sanction::in_force`] with the clock).
    pub async fn active(&self, key: &UserKey) -> Result<Option<Sanction>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(key.partition()))
            .key("sk", s(ACTIVE_SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| store_error("GetItem", &e))?;
        match out.item {
            None => Ok(None),
            Some(item) => {
                let id = get_s(&item, "sanction_id").unwrap_or_default();
                sanction_from(key, &item, id).map(Some)
            }
        }
    }

    async fn sanction(&self, key: &UserKey, id: &str) -> Result<Option<Sanction>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(key.partition()))
            .key("sk", s(format!("SANCTION#{id}")))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| store_error("GetItem", &e))?;
        out.item
            .map(|item| sanction_from(key, &item, id.to_string()))
            .transpose()
    }

    /// Records `sanction` once (kept `keep` after it ends, for the policy's
    /// sanction rules) and makes it the one in force unless a stronger one
    /// is. Answers the stored sanction: on a second call with the same id,
    /// the first one, with its progress flags.
    pub async fn issue(&self, sanction: &Sanction, keep: Duration) -> Result<Sanction, StoreError> {
        let key = &sanction.user;
        let ends = sanction.until_ms.unwrap_or(sanction.issued_at_ms);
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(key.partition()))
            .item("sk", s(format!("SANCTION#{}", sanction.id)))
            .item("room_arn", s(&key.room_arn))
            .item("user_id", s(&key.user_id))
            .item("kind", s(sanction.kind.as_str()))
            .item("issued_at_ms", n(sanction.issued_at_ms))
            .item("reason", s(&sanction.reason))
            .item("source", s(&sanction.source))
            .item("disconnected", AttributeValue::Bool(false))
            .item("announced", AttributeValue::Bool(false))
            .condition_expression("attribute_not_exists(pk)");
        if let Some(until) = sanction.until_ms {
            put = put.item("until_ms", n(until)).item(
                "expires_at",
                n((ends.max(sanction.issued_at_ms + period::millis(keep))) / 1000 + 1),
            );
        }
        let stored = match put.send().await {
            Ok(_) => Sanction {
                disconnected: false,
                announced: false,
                ..sanction.clone()
            },
            Err(SdkError::ServiceError(e)) if e.err().is_conditional_check_failed_exception() => {
                self.sanction(key, &sanction.id).await?.ok_or_else(|| {
                    malformed("GetItem", format!("sanction {} vanished", sanction.id))
                })?
            }
            Err(e) => return Err(store_error("PutItem", &e)),
        };
        self.make_active(&stored).await?;
        Ok(stored)
    }

    async fn make_active(&self, sanction: &Sanction) -> Result<(), StoreError> {
        let key = &sanction.user;
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(key.partition()))
            .item("sk", s(ACTIVE_SK))
            .item("sanction_id", s(&sanction.id))
            .item("kind", s(sanction.kind.as_str()))
            .item("issued_at_ms", n(sanction.issued_at_ms))
            .item("reason", s(&sanction.reason))
            .item("source", s(&sanction.source))
            .item("strength", n(strength(sanction)))
            .condition_expression(
                "attribute_not_exists(pk) OR sanction_id = :id OR strength <= :strength OR until_ms <= :now",
            )
            .expression_attribute_values(":id", s(&sanction.id))
            .expression_attribute_values(":strength", n(strength(sanction)))
            .expression_attribute_values(":now", n(sanction.issued_at_ms));
        if let Some(until) = sanction.until_ms {
            put = put
                .item("until_ms", n(until))
                .item("expires_at", n(until / 1000 + 1));
        }
        match put.send().await {
            Ok(_) => Ok(()),
            // A stronger sanction is in force: it stays.
            Err(SdkError::ServiceError(e)) if e.err().is_conditional_check_failed_exception() => {
                Ok(())
            }
            Err(e) => Err(store_error("PutItem", &e)),
        }
    }

    /// Sets a progress flag of sanction `id`.
    pub async fn mark(
        &self,
        key: &UserKey,
        id: &str,
        progress: Progress,
    ) -> Result<(), StoreError> {
        let field = match progress {
            Progress::Disconnected => "disconnected",
            Progress::Announced => "announced",
        };
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(key.partition()))
            .key("sk", s(format!("SANCTION#{id}")))
            .update_expression("SET #f = :t")
            .expression_attribute_names("#f", field)
            .expression_attribute_values(":t", AttributeValue::Bool(true))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await
            .map_err(|e| store_error("UpdateItem", &e))?;
        Ok(())
    }

    /// Deletes everything under the user's partition (the sanction in force,
    /// the sanctions and the strikes), `ACTIVE` and up to 99 other items in
    /// the first transaction; answers how many items went.
    pub async fn lift(&self, key: &UserKey) -> Result<usize, StoreError> {
        let mut sks: Vec<String> = self
            .items(key)
            .await?
            .iter()
            .filter_map(|i| get_s(i, "sk"))
            .collect();
        // ACTIVE first, so the first transaction lifts the sanction itself.
        sks.sort_by_key(|sk| sk != ACTIVE_SK);
        let total = sks.len();
        for chunk in sks.chunks(MAX_TRANSACTION_ITEMS) {
            let mut request = self.client.transact_write_items();
            for sk in chunk {
                let delete = Delete::builder()
                    .table_name(&self.table)
                    .key("pk", s(key.partition()))
                    .key("sk", s(sk.clone()))
                    .build()
                    .map_err(|e| malformed("TransactWriteItems", e.to_string()))?;
                request =
                    request.transact_items(TransactWriteItem::builder().delete(delete).build());
            }
            request
                .send()
                .await
                .map_err(|e| store_error("TransactWriteItems", &e))?;
        }
        Ok(total)
    }
}
