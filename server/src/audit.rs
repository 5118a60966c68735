//! The audit log: who did what to what, written after each editor's action
//! succeeded. A failure to write it is logged and does not undo the action.

use crate::store::Store;

pub async fn record(store: &dyn Store, who: &str, action: &str, target: &str, detail: &str) {
    if let Err(e) = store
        .add_audit(
            crate::now_secs(),
            who.to_owned(),
            action.to_owned(),
            target.to_owned(),
            detail.to_owned(),
        )
        .await
    {
        tracing::error!(error = %e, who, action, target, "audit entry not written");
    }
}
