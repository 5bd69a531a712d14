//! Banks are read on a helper thread when the window opens: a bank of tens of thousands of
//! questions must not keep the window from appearing. Until they are in, the window shows
//! which bank is being read and how far along it is, and commands wait.

use super::CertprepApp;
use crate::bank::{LoadProgress, LoadReport};
use crate::bank_sources::BankSources;
use egui::{RichText, Ui};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// Banks being read on a helper thread.
pub struct BankLoading {
    rx: mpsc::Receiver<LoadReport>,
    progress: Arc<Mutex<LoadProgress>>,
    started: Instant,
}

impl BankLoading {
    pub fn start(sources: BankSources) -> BankLoading {
        let (tx, rx) = mpsc::channel();
        let progress = Arc::new(Mutex::new(LoadProgress::default()));
        let shared = Arc::clone(&progress);
        std::thread::spawn(move || {
            let report = sources.load_with(&mut |p| {
                if let Ok(mut g) = shared.lock() {
                    *g = p;
                }
            });
            let _ = tx.send(report);
        });
        BankLoading {
            rx,
            progress,
            started: Instant::now(),
        }
    }

    /// The banks, once read; `Err(self)` while the thread works. A thread that died (it
    /// cannot panic on file contents, but memory can run out) gives an empty report.
    fn poll(self, wait: Option<Duration>) -> Result<LoadReport, BankLoading> {
        let got = match wait {
            Some(d) => self.rx.recv_timeout(d).map_err(|e| match e {
                mpsc::RecvTimeoutError::Timeout => None,
                mpsc::RecvTimeoutError::Disconnected => Some(()),
            }),
            None => self.rx.try_recv().map_err(|e| match e {
                mpsc::TryRecvError::Empty => None,
                mpsc::TryRecvError::Disconnected => Some(()),
            }),
        };
        match got {
            Ok(report) => Ok(report),
            Err(Some(())) => Ok(LoadReport::default()),
            Err(None) => Err(self),
        }
    }

    fn show(&self, ui: &mut Ui) {
        let p = self.progress.lock().map(|g| g.clone()).unwrap_or_default();
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(24.0);
            ui.heading("Loading question banks…");
            let name = p
                .next
                .as_ref()
                .and_then(|d| d.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let fraction = if p.total == 0 {
                0.0
            } else {
                p.done as f32 / p.total as f32
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(360.0)
                    .text(format!("{} of {}", p.done, p.total)),
            );
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                ui.label(
                    RichText::new(format!(
                        "Reading {name} · {:.1} s",
                        self.started.elapsed().as_secs_f32()
                    ))
                    .weak(),
                );
            });
        });
    }
}

impl CertprepApp {
    /// Whether banks are still being read.
    pub fn banks_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Wait (at most `limit`) for the banks and take them in; tests and the first-frame
    /// probe use it. Returns whether they are in.
    pub fn wait_for_banks(&mut self, limit: Duration) -> bool {
        self.poll_banks(Some(limit));
        self.loading.is_none()
    }

    /// Take the banks in when the thread is done; `true` while still loading.
    pub(super) fn poll_banks(&mut self, wait: Option<Duration>) -> bool {
        let Some(loading) = self.loading.take() else {
            return false;
        };
        match loading.poll(wait) {
            Ok(report) => {
                self.banks = report;
                self.banks_loaded();
                false
            }
            Err(still) => {
                self.loading = Some(still);
                true
            }
        }
    }

    /// Draw the loading screen; the caller skips everything else this frame.
    pub(super) fn show_loading(&self, ui: &mut Ui) {
        if let Some(l) = &self.loading {
            l.show(ui);
            ui.ctx().request_repaint_after(Duration::from_millis(50));
        }
    }
}
