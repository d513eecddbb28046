//! The embedding facade: runtimes are independent values, usable from several threads.

use rivet::{Runtime, Value};

#[test]
fn eval_returns_values() {
    let mut rt = Runtime::new();
    let v = rt.eval("local t = {} for i = 1, 10 do t[i] = i * i end return #t, t[10]").unwrap();
    assert!(matches!(v.as_slice(), [Value::Int(10), Value::Int(100)]));
    let err = rt.eval("error('no')").unwrap_err();
    assert!(err.contains("no"), "{err}");
}

#[test]
fn independent_runtimes_on_different_threads() {
    let handles: Vec<_> = (0..4)
        .map(|n| {
            std::thread::spawn(move || {
                let mut rt = Runtime::new();
                rt.eval(&format!("x = {n}")).unwrap();
                let v =
                    rt.eval("local s = 0 for i = 1, 100000 do s = s + i % 7 end collectgarbage() return x, s").unwrap();
                match v.as_slice() {
                    [Value::Int(x), Value::Int(s)] => (*x, *s),
                    other => panic!("unexpected {other:?}"),
                }
            })
        })
        .collect();
    for (n, h) in handles.into_iter().enumerate() {
        let (x, s) = h.join().unwrap();
        assert_eq!(x, n as i64, "each runtime keeps its own globals");
        assert_eq!(s, 300000, "same as lua5.4 prints");
    }
}

#[test]
fn a_runtime_can_move_to_another_thread() {
    let mut rt = Runtime::new();
    rt.eval("counter = 41").unwrap();
    let mut rt = std::thread::spawn(move || {
        rt.eval("counter = counter + 1").unwrap();
        rt
    })
    .join()
    .unwrap();
    assert!(matches!(rt.eval("return counter").unwrap()[0], Value::Int(42)));
}
