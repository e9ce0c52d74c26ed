//! Carrying out a sanction: store it, disconnect the user, tell the room.
//!
//! The strike tracker and moderation-actions' `timeoutUser` / `banUser` both
//! call [`Enforcer::impose`]. Each step is done at most once per sanction:
//! the sanction item is created conditionally, and its `disconnected` and
//! `announced` flags are set after `DisconnectUser` and `SendEvent`
//! succeed. A call that fails part-way (IVS throttled, DynamoDB down)
//! returns the error; the same call again (a retried batch) finds the
//! sanction and does only what is left. The one gap is a crash between a
//! successful IVS call and setting its flag, which repeats that call once;
//! `DisconnectUser` is harmless to repeat, and the event says the same thing.

use std::collections::BTreeMap;
use std::time::Duration;

use ivs_chat::limits::REASON_LEN;
use ivs_chat::{DisconnectUser, RoomArn, RoomClient, RoomError, SendEvent, ValidationError};

use crate::sanction::{Sanction, UserKey};
use crate::store::{Progress, SanctionStore, StoreError};

/// Why a sanction could not be carried out (yet).
#[derive(Debug, thiserror::Error)]
pub enum EnforceError {
    /// DynamoDB failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// IVS Chat failed.
    #[error("{operation} for {user} in {room} failed: {source}")]
    Room {
        /// `DisconnectUser` or `SendEvent`.
        operation: &'static str,
        /// The room.
        room: String,
        /// The user.
        user: String,
        /// What IVS Chat said.
        source: RoomError,
    },
    /// The sanction cannot be expressed as IVS Chat commands.
    #[error("invalid sanction: {0}")]
    Invalid(#[from] ValidationError),
}

impl EnforceError {
    /// The error type reported to Lambda.
    pub fn error_type(&self) -> String {
        match self {
            EnforceError::Store(e) => format!("DynamoDB.{}", e.code),
            EnforceError::Room { source, .. } => source.kind.as_str().to_string(),
            EnforceError::Invalid(_) => "ValidationError".to_string(),
        }
    }
}

/// The store and the room client, together.
#[derive(Debug)]
pub struct Enforcer<C> {
    store: SanctionStore,
    rooms: C,
}

/// The first `REASON_LEN` characters of `reason`.
fn fit_reason(reason: &str) -> String {
    let (_, max) = REASON_LEN;
    let cut: String = reason.chars().take(max).collect();
    if cut.is_empty() {
        "moderation".to_string()
    } else {
        cut
    }
}

impl<C: RoomClient> Enforcer<C> {
    /// An enforcer over `store` and `rooms`.
    pub fn new(store: SanctionStore, rooms: C) -> Self {
        Enforcer { store, rooms }
    }

    /// The store.
    pub fn store(&self) -> &SanctionStore {
        &self.store
    }

    /// The room client.
    pub fn rooms(&self) -> &C {
        &self.rooms
    }

    /// Records `sanction` (once) and carries it out: answers the stored
    /// sanction with both flags set.
    pub async fn impose(
        &self,
        sanction: &Sanction,
        keep: Duration,
    ) -> Result<Sanction, EnforceError> {
        let stored = self.store.issue(sanction, keep).await?;
        self.carry_out(stored).await
    }

    /// Does what is left of `sanction`: `DisconnectUser`, then the event.
    pub async fn carry_out(&self, mut sanction: Sanction) -> Result<Sanction, EnforceError> {
        let room = RoomArn::parse("roomArn", &sanction.user.room_arn)?;
        let user = &sanction.user;
        if !sanction.disconnected {
            let command = DisconnectUser::new(
                room.clone(),
                user.user_id.clone(),
                Some(fit_reason(&sanction.reason)),
            )?;
            self.rooms
                .disconnect_user(&command)
                .await
                .map_err(|source| room_error("DisconnectUser", user, source))?;
            self.store
                .mark(user, &sanction.id, Progress::Disconnected)
                .await?;
            sanction.disconnected = true;
        }
        if !sanction.announced {
            let attributes = BTreeMap::from([
                ("userId".to_string(), user.user_id.clone()),
                ("until".to_string(), sanction.until_text()),
                ("reason".to_string(), fit_reason(&sanction.reason)),
            ]);
            let event = SendEvent::new(room, sanction.kind.event_name(), attributes)?;
            self.rooms
                .send_event(&event)
                .await
                .map_err(|source| room_error("SendEvent", user, source))?;
            self.store
                .mark(user, &sanction.id, Progress::Announced)
                .await?;
            sanction.announced = true;
        }
        tracing::info!(
            room_arn = %user.room_arn,
            user_id = %user.user_id,
            sanction_id = %sanction.id,
            kind = sanction.kind.as_str(),
            until = %sanction.until_text(),
            source = %sanction.source,
            "sanction in force"
        );
        Ok(sanction)
    }

    /// Clears the user's sanction and strikes; answers how many items went.
    pub async fn lift(&self, user: &UserKey) -> Result<usize, EnforceError> {
        Ok(self.store.lift(user).await?)
    }
}

fn room_error(operation: &'static str, user: &UserKey, source: RoomError) -> EnforceError {
    EnforceError::Room {
        operation,
        room: user.room_arn.clone(),
        user: user.user_id.clone(),
        source,
    }
}
