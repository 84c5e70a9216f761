//! The custom-task example is the proof that a task defined outside Sprout gets a
//! run directory, checkpoints, a bit-identical resume and a replayable champion:
//! it asserts all of that, and this test runs it.

// The example's own `main` is not called here.
#[allow(dead_code)]
#[path = "../examples/custom_task.rs"]
mod custom_task;

#[test]
fn a_task_of_your_own_checkpoints_resumes_bit_identically_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    custom_task::run_in(dir.path()).unwrap();
    // The run directories hold what a built-in task's would.
    for run in ["straight", "split"] {
        for file in ["champion.ron", "stats.csv", "fitness.png"] {
            assert!(dir.path().join(run).join(file).is_file(), "{run}/{file}");
        }
    }
    assert!(
        dir.path()
            .join("split/checkpoints/gen-000025.ron.zst")
            .is_file()
    );
}
