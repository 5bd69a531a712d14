//! The study-group folder setting, kept with the history in the `settings` table.

use super::{Store, StoreError};
use std::path::PathBuf;

const GROUP_FOLDER_KEY: &str = "group_folder";

impl Store {
    /// The folder whose `*.certprep-result.json` files the group report reads, if set.
    pub fn group_folder(&self) -> Result<Option<PathBuf>, StoreError> {
        let v = super::srs::setting_in(&self.conn, GROUP_FOLDER_KEY).map_err(|e| self.err(e))?;
        Ok(v.filter(|s| !s.trim().is_empty()).map(PathBuf::from))
    }

    /// Set (or with `None`, clear) the group folder.
    pub fn set_group_folder(&self, folder: Option<&std::path::Path>) -> Result<(), StoreError> {
        let value = folder
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A path on this computer: it does not travel with the history (see store::sync).
        self.set_setting(GROUP_FOLDER_KEY, &value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_folder_round_trips_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open_in(dir.path()).unwrap();
        assert_eq!(s.group_folder().unwrap(), None);
        s.set_group_folder(Some(std::path::Path::new("/shared/group")))
            .unwrap();
        assert_eq!(
            s.group_folder().unwrap(),
            Some(PathBuf::from("/shared/group"))
        );
        s.set_group_folder(None).unwrap();
        assert_eq!(s.group_folder().unwrap(), None);
    }
}
