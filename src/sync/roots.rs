//! Is the data folder inside a folder a sync tool copies? A live SQLite database (with its
//! `-wal` and `-shm` files) there is a known way to fork or corrupt it: the tool copies the
//! three files one by one, and two computers open them.

use std::path::Path;

/// The sync tool whose folder holds `path`, if any: by the names the tools give their
/// folders (OneDrive, Dropbox, Google Drive, iCloud Drive, Nextcloud, ownCloud, pCloud,
/// MEGA, Box) or by Syncthing's `.stfolder` marker in the folder or one above it.
pub fn sync_tool_for(path: &Path) -> Option<&'static str> {
    // Split on both separators: a Windows path read on any system still names its folders.
    let text = path.to_string_lossy();
    if let Some(tool) = text.split(['/', '\\']).find_map(tool_by_folder_name) {
        return Some(tool);
    }
    path.ancestors()
        .any(|a| a.join(".stfolder").exists())
        .then_some("Syncthing")
}

fn tool_by_folder_name(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let starts = |p: &str| {
        lower == p || lower.starts_with(&format!("{p} -")) || lower.starts_with(&format!("{p}-"))
    };
    if starts("onedrive") {
        Some("OneDrive")
    } else if starts("dropbox") || lower == ".dropbox" {
        Some("Dropbox")
    } else if lower == "google drive" || lower == "googledrive" || lower == "my drive" {
        Some("Google Drive")
    } else if lower == "icloud drive" || lower == "icloud~" || lower == "com~apple~clouddocs" {
        Some("iCloud Drive")
    } else if lower == "nextcloud" {
        Some("Nextcloud")
    } else if lower == "owncloud" {
        Some("ownCloud")
    } else if lower == "pcloud drive" || lower == "pcloud" {
        Some("pCloud")
    } else if lower == "mega" || lower == "megasync" {
        Some("MEGA")
    } else if lower == "box" || lower == "box sync" {
        Some("Box")
    } else {
        None
    }
}

/// The warning shown when the data folder is inside a synced folder, or `None`.
pub fn data_dir_warning(data_dir: &Path) -> Option<String> {
    let tool = sync_tool_for(data_dir)?;
    Some(format!(
        "Your data folder {} is inside a folder {tool} syncs. A live database there can be \
         copied half-written or opened on two computers at once, and history can be lost. Move \
         the data folder out of it (--data-dir or CERTPREP_DATA_DIR), and use \"Sync through a \
         folder\" in Settings to share your history between computers instead.",
        data_dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_tools_are_recognised_by_folder_name() {
        for (p, tool) in [
            ("/home/a/OneDrive/certprep", "OneDrive"),
            (
                "C:\\Users\\a\\OneDrive - Springfield USD\\certprep",
                "OneDrive",
            ),
            ("/home/a/Dropbox/study", "Dropbox"),
            (
                "/Users/a/Library/Mobile Documents/com~apple~CloudDocs/x",
                "iCloud Drive",
            ),
            ("/Users/a/Google Drive/My Drive/certprep", "Google Drive"),
            ("/home/a/Nextcloud/certprep", "Nextcloud"),
        ] {
            assert_eq!(sync_tool_for(Path::new(p)), Some(tool), "{p}");
        }
        for p in [
            "/home/a/.local/share/certprep",
            "/home/a/dropboxes-old",
            "/srv/boxes",
        ] {
            assert_eq!(sync_tool_for(Path::new(p)), None, "{p}");
        }
    }

    #[test]
    fn a_syncthing_folder_is_found_by_its_marker() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("shared").join("certprep");
        std::fs::create_dir_all(&data).unwrap();
        assert_eq!(sync_tool_for(&data), None);
        std::fs::create_dir(dir.path().join("shared").join(".stfolder")).unwrap();
        assert_eq!(sync_tool_for(&data), Some("Syncthing"));
        assert!(
            data_dir_warning(&data)
                .unwrap()
                .contains("Sync through a folder")
        );
    }
}
