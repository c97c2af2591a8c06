"""The Python API of vers, checked against a numpy brute force."""

import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

import vers

ALGORITHMS = ["flat", "hnsw", "ivfflat", "lsh"]
METRICS = ["l2", "cosine", "dot"]
# recall@10 each algorithm must reach at default parameters on the clustered data below
RECALL = {"flat": 1.0, "hnsw": 0.9, "ivfflat": 0.85, "lsh": 0.7}


def clustered(rng, n, dim, clusters=20, spread=0.6):
    centres = rng.standard_normal((clusters, dim))
    return (centres[rng.integers(0, clusters, n)] + spread * rng.standard_normal((n, dim))).astype(np.float32)


def exact(data, queries, k, metric):
    data64 = data.astype(np.float64)
    q64 = queries.astype(np.float64)
    if metric == "l2":
        d = ((q64[:, None, :] - data64[None, :, :]) ** 2).sum(-1)
    elif metric == "dot":
        d = -q64 @ data64.T
    else:
        dn = data64 / np.linalg.norm(data64, axis=1, keepdims=True)
        qn = q64 / np.linalg.norm(q64, axis=1, keepdims=True)
        d = 1 - qn @ dn.T
    order = np.argsort(d, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(d, order, axis=1)


def recall(found_distances, true_distances):
    kth = true_distances[:, -1:]
    slack = 1e-4 * np.maximum(1, np.abs(kth))
    return float((found_distances <= kth + slack).sum() / true_distances.size)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(1)
    everything = clustered(rng, 3100, 24)  # queries from the data's own clusters
    return everything[:3000].copy(), everything[3000:].copy()


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("metric", METRICS)
def test_recall_against_brute_force(data, algorithm, metric):
    base, queries = data
    index = vers.build(algorithm, base, metric=metric)
    ids, distances = index.search(queries, k=10)
    assert ids.shape == (100, 10) and ids.dtype == np.int64
    assert distances.shape == (100, 10) and distances.dtype == np.float32
    _, true_d = exact(base, queries, 10, metric)
    assert recall(distances, true_d) >= RECALL[algorithm]
    assert (np.diff(distances, axis=1) >= 0).all(), "nearest first"
    # the distance each result reports is the metric's formula on its stored vector
    for q in range(5):
        for i, d in zip(ids[q], distances[q]):
            v = base[i].astype(np.float64)
            x = queries[q].astype(np.float64)
            expected = {"l2": ((v - x) ** 2).sum(), "dot": -(v @ x),
                        "cosine": 1 - (v @ x) / np.linalg.norm(v) / np.linalg.norm(x)}[metric]
            assert abs(expected - d) <= 1e-3 * max(1, abs(expected))


@pytest.mark.parametrize("algorithm", ["hnsw", "ivfflat", "flat"])
def test_sq8_keeps_recall_with_floats_and_shrinks_without(data, algorithm):
    base, queries = data
    _, true_d = exact(base, queries, 10, "l2")
    plain = vers.build(algorithm, base)
    kept = vers.build(algorithm, base, quantization="sq8")
    codes = vers.build(algorithm, base, quantization="sq8", keepVectors=False)
    assert kept.params["quantization"] == "sq8" and codes.params["keepVectors"] is False
    plain_ids, plain_d = plain.search(queries, k=10)
    kept_ids, kept_d = kept.search(queries, k=10, oversample=4)
    codes_ids, codes_d = codes.search(queries, k=10)
    assert recall(kept_d, true_d) >= recall(plain_d, true_d) - 0.01, "re-ranked exactly from the kept floats"
    d0 = ((queries.astype(np.float64) - base[codes_ids[:, 0]]) ** 2).sum(-1)
    assert (d0 <= true_d[:, -1] + 1e-3).mean() >= 0.95, "codes only: the first result is among the true 10 nearest"
    assert codes.memory_bytes < plain.memory_bytes < kept.memory_bytes


def test_shapes_padding_and_one_dimensional_queries():
    index = vers.Index("hnsw", 4)
    index.add(np.eye(4, dtype=np.float32))
    ids, distances = index.search(np.array([1, 0, 0, 0], dtype=np.float32), k=6)
    assert ids.shape == (6,) and distances.shape == (6,)
    assert ids[0] == 0 and distances[0] == 0
    assert list(ids[4:]) == [-1, -1] and np.isinf(distances[4:]).all()
    ids2, _ = index.search(np.eye(4)[:2], k=2)
    assert ids2.shape == (2, 2)


def test_any_float_dtype_and_layout_gives_the_same_answer(data):
    base, queries = data
    index = vers.build("flat", base)
    expected = index.search(queries, k=5)[0]
    assert (index.search(queries.astype(np.float64), k=5)[0] == expected).all()
    fortran = np.asfortranarray(queries)
    assert (index.search(fortran, k=5)[0] == expected).all()
    strided = np.repeat(queries, 2, axis=0)[::2]
    assert not strided.flags["C_CONTIGUOUS"] or strided.base is not None
    assert (index.search(strided, k=5)[0] == expected).all()
    assert (index.search(queries.astype(np.float16), k=5)[0].shape == expected.shape)


def test_add_with_default_ids_get_remove_contains_and_ids():
    rng = np.random.default_rng(2)
    index = vers.Index("ivfflat", 8)
    first = index.add(rng.standard_normal((10, 8)))
    assert list(first) == list(range(10))
    index.add(rng.standard_normal((2, 8)), ids=[100, 200])
    more = index.add(rng.standard_normal(8))
    assert list(more) == [201]
    assert len(index) == 13 and 200 in index and 5 in index and 7777 not in index
    assert sorted(index.ids().tolist()) == list(range(10)) + [100, 200, 201]
    v = rng.standard_normal(8).astype(np.float32)
    index.add(v, ids=[5])
    np.testing.assert_allclose(index.get(5), v, rtol=1e-6)
    assert index.get([5, 100]).shape == (2, 8)
    assert index.remove([5, 100, 999]) == 2
    assert 5 not in index and len(index) == 11
    with pytest.raises(KeyError):
        index.get(5)


def test_filters_by_id_array_and_by_callable(data):
    base, queries = data
    for algorithm in ALGORITHMS:
        index = vers.build(algorithm, base)
        allowed = np.arange(0, 3000, 7)
        ids, _ = index.search(queries[:10], k=5, filter=allowed)
        assert np.isin(ids, allowed).all()
        ids2, _ = index.search(queries[:10], k=5, filter=lambda i: i % 7 == 0, num_threads=1)
        assert (ids2 % 7 == 0).all()


def test_knobs_by_name_and_target_recall(data):
    base, queries = data
    index = vers.build("hnsw", base)
    low = index.search(queries, k=10, ef=10)[1]
    high = index.search(queries, k=10, ef=400)[1]
    true_d = exact(base, queries, 10, "l2")[1]
    assert recall(high, true_d) >= recall(low, true_d)
    asked = index.search(queries, k=10, target_recall=0.95)[1]
    assert recall(asked, true_d) >= 0.93
    assert index.calibration(10)[-1][1] >= 0.95
    with pytest.raises(ValueError, match="nprobe"):
        index.search(queries, k=10, nprobe=4)


def test_num_threads_gives_the_same_results_as_one_thread(data):
    base, queries = data
    for algorithm in ALGORITHMS:
        index = vers.build(algorithm, base, num_threads=2)
        one = index.search(queries, k=10, num_threads=1)
        many = index.search(queries, k=10, num_threads=-1)
        assert (one[0] == many[0]).all() and (one[1] == many[1]).all()


def test_knn_query_has_hnswlibs_signature(data):
    base, queries = data
    index = vers.build("hnsw", base)
    labels, distances = index.knn_query(queries[0], k=3)
    assert labels.shape == (1, 3) and distances.shape == (1, 3)


def test_range_search_equals_brute_force(data):
    base, queries = data
    index = vers.build("flat", base)
    _, true_d = exact(base, queries[:1], 3000, "l2")
    radius = float((true_d[0, 19] + true_d[0, 20]) / 2)
    ids, distances = index.range_search(queries[0], radius)
    assert len(ids) == 20 and (distances <= radius).all() and (np.diff(distances) >= 0).all()
    assert len(index.range_search(queries[0], radius, limit=5)[0]) == 5


def test_save_load_and_pickle_round_trip(tmp_path, data):
    base, queries = data
    for algorithm in ALGORITHMS:
        index = vers.build(algorithm, base, metric="cosine")
        path = tmp_path / f"{algorithm}.vers"
        index.save(path)
        loaded = vers.load(path)
        assert loaded.algorithm == algorithm and loaded.metric == "cosine" and len(loaded) == len(index)
        assert (loaded.search(queries, k=5)[0] == index.search(queries, k=5)[0]).all()
        copy = pickle.loads(pickle.dumps(index))
        assert (copy.search(queries, k=5)[0] == index.search(queries, k=5)[0]).all()
    assert "size=3000" in repr(index) and index.memory_bytes > base.nbytes
    assert index.params == loaded.params


def test_a_file_saved_in_python_loads_in_java_and_the_reverse(tmp_path, data):
    base, queries = data
    index = vers.build("hnsw", base[:500])
    path = tmp_path / "from-python.vers"
    index.save(path)
    io = vers._jvm.java().IndexIO
    paths = vers._jvm.jpype.JClass("java.nio.file.Paths")
    from_java = io.load(paths.get(str(path), []))  # a plain Java load of the Python file
    assert from_java.size() == 500 and str(from_java.algorithm()) == "hnsw"
    java_index = vers._jvm.java().Indexes.create("flat", 24, vers._jvm.java().Metric.L2)
    for i in range(50):
        java_index.add(i, vers._jvm.jpype.JArray(vers._jvm.jpype.JFloat)(base[i]))
    java_path = tmp_path / "from-java.vers"
    io.save(java_index, paths.get(str(java_path), []))
    loaded = vers.load(java_path)
    assert len(loaded) == 50 and loaded.search(base[3], k=1)[0][0] == 3
    if os.path.exists(os.path.join(os.path.dirname(__file__), "..", "..", "..", "vers")):
        info = subprocess.run([os.path.join(os.path.dirname(__file__), "..", "..", "..", "vers"), "info", str(path)],
                              capture_output=True, text=True, env={**os.environ, "VERS_NO_BUILD": "1"})
        if info.returncode == 0:
            assert "hnsw" in info.stdout


def test_errors_are_python_errors_with_the_java_message(tmp_path):
    index = vers.Index("hnsw", 4)
    with pytest.raises(ValueError, match="dimension 4"):
        index.add(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN|finite"):
        index.add(np.array([1, np.nan, 0, 0]))
    with pytest.raises(ValueError, match="noSuchParameter"):
        vers.Index("hnsw", 4, noSuchParameter=3)
    with pytest.raises(ValueError, match="available.*flat.*hnsw"):
        vers.Index("annoy", 4)
    with pytest.raises(ValueError):
        vers.Index("hnsw", 4, m=1)
    bad = tmp_path / "bad.vers"
    bad.write_bytes(b"not an index at all, just some bytes" * 10)
    with pytest.raises(vers.CorruptIndexError):
        vers.load(bad)
    with pytest.raises(FileNotFoundError):
        vers.load(tmp_path / "missing.vers")
    try:
        vers.Index("hnsw", 4, m=0)
    except ValueError as e:
        assert "java" not in str(e).split(":")[0].lower() and e.__cause__ is None


def test_the_original_api(tmp_path):
    rng = np.random.default_rng(3)
    words = {f"w{i}": rng.standard_normal(16).astype(np.float32) for i in range(500)}
    for cls in (vers.HNSW, vers.IVFFlat, vers.LSH, vers.Flat):
        index = cls() if cls is not vers.HNSW else vers.HNSW(ef_construction=100, num_layers=8, ef_search=32,
                                                               num_neighbours=8)
        index.build_index(words)
        hits = index.search(words["w7"], top_k=5)
        assert hits[0][0] == "w7" and hits[0][1] == pytest.approx(0, abs=1e-4) and len(hits) == 5
        index.add(rng.standard_normal(16), "new-word")
        path = tmp_path / f"{cls.__name__}.vers"
        index.save_index(path)
        again = cls.load_index(path)
        assert again.search(words["w7"], top_k=1)[0][0] == "w7"
    plain = vers.Flat().build_index(np.eye(3))
    assert plain.search(np.array([0, 1, 0]), top_k=1)[0][0] == 1


def test_load_word_vectors_reads_fasttext_and_glove(tmp_path):
    fasttext = tmp_path / "words.vec"
    fasttext.write_text("3 2\nking 1 2\nqueen 1.5 2.5\nman 0 1\n")
    glove = tmp_path / "glove.txt"
    glove.write_text("king 1 2\nqueen 1.5 2.5\n")
    words = vers.load_word_vectors(fasttext)
    assert list(words) == ["king", "queen", "man"] and words["queen"].dtype == np.float32
    assert list(vers.load_word_vectors(fasttext, limit=2)) == ["king", "queen"]
    assert list(vers.load_word_vectors(glove)) == ["king", "queen"]
    broken = tmp_path / "broken.vec"
    broken.write_text("king 1 2\nqueen 1\n")
    with pytest.raises(ValueError, match="broken.vec:2"):
        vers.load_word_vectors(broken)


def test_algorithms_lists_parameters_and_knobs():
    algorithms = vers.algorithms()
    assert set(ALGORITHMS) <= set(algorithms)
    assert "ef" in algorithms["hnsw"]["search_knobs"] and "m" in algorithms["hnsw"]["parameters"]
    assert algorithms["flat"]["search_knobs"] == {"oversample": 3.0}  # read only with sq8 and kept vectors
    assert "quantization" in algorithms["hnsw"]["parameters"] and "keepVectors" in algorithms["ivfflat"]["parameters"]


def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "README.md")
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    blocks = text.split("```python\n")[1:]
    assert blocks, "the README has a Python example"
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block.split("```")[0], "README.md", "exec"), {})
    assert (tmp_path / "data.vers").exists()


def test_the_gil_is_released_while_java_searches():
    import threading
    import time

    rng = np.random.default_rng(4)
    index = vers.build("flat", rng.standard_normal((30000, 128), dtype=np.float32))
    queries = rng.standard_normal((200, 128), dtype=np.float32)
    index.search(queries[:5], k=10, num_threads=1)
    count = [0]
    stop = [False]

    def spin():
        while not stop[0]:
            count[0] += 1

    thread = threading.Thread(target=spin)
    thread.start()
    try:
        time.sleep(0.1)
        before = count[0]
        start = time.perf_counter()
        index.search(queries, k=10, num_threads=1)
        took = time.perf_counter() - start
        during = count[0] - before
        time.sleep(took)
        idle = count[0] - before - during
    finally:
        stop[0] = True
        thread.join()
    # with the GIL held by the call, the spinning thread could not count at all during it
    assert during > 0.1 * idle, f"a Python thread counted {during} during a {took:.2f} s search, {idle} after"


def test_the_benchmark_names_a_missing_sift_directory(tmp_path):
    package_root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    run = subprocess.run([sys.executable, "-m", "vers.bench", "--dataset", "sift5k", "--sift-dir", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": package_root})
    assert run.returncode != 0
    assert "has no sift5k.base.fvecs" in run.stderr and "--sift-dir" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_java_exceptions_arrive_as_the_python_errors_their_kind_suggests():
    import jpype
    from vers._index import _translate
    vers.algorithms()  # starts the JVM

    def make(class_name, *args):
        cls = jpype.JClass(class_name)
        constructor = cls.class_.getDeclaredConstructors()[0]
        constructor.setAccessible(True)
        return constructor.newInstance(*args)

    too_large = make("io.vers.io.IndexTooLargeForHeapException", "big.vers", jpype.JLong(8 << 30), jpype.JLong(1 << 30))
    assert isinstance(_translate(too_large), MemoryError) and "-Xmx" in str(_translate(too_large))
    too_new = make("io.vers.io.IndexFormatTooNewException", "new.vers", jpype.JInt(9), jpype.JInt(1))
    assert isinstance(_translate(too_new), vers.CorruptIndexError)
    denied = jpype.JClass("java.nio.file.AccessDeniedException")("x.vers")
    assert isinstance(_translate(denied), OSError)
