//! Fuzzes `sprout_lab::hostile::experiment`: any bytes, as a experiment file.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sprout_lab::hostile::experiment(data);
});
