"""Starting the JVM that runs vers, once, on first use."""

import glob
import os
import threading

import jpype
import jpype.imports  # noqa: F401  (enables Java imports once the JVM runs)

_DEFAULT_ARGS = ["--add-modules=jdk.incubator.vector", "-Dkryo.unsafe=false"]
# Debian's JPype starts a JVM only with its support jar on the class path.
_JPYPE_SUPPORT_JARS = ["/usr/share/java/org.jpype.jar"]

_lock = threading.Lock()
_settings = {"jvm_args": None, "classpath": None}
_java = None


class _Java:
    """The Java classes vers uses, looked up once."""

    def __init__(self):
        self.Index = jpype.JClass("io.vers.api.Index")
        self.Indexes = jpype.JClass("io.vers.api.Indexes")
        self.Metric = jpype.JClass("io.vers.api.Metric")
        self.SearchParams = jpype.JClass("io.vers.api.SearchParams")
        self.IndexIO = jpype.JClass("io.vers.io.IndexIO")
        self.Bridge = jpype.JClass("io.vers.python.Bridge")
        self.Path = jpype.JClass("java.nio.file.Path")
        self.HashMap = jpype.JClass("java.util.HashMap")
        self.LongPredicate = jpype.JClass("java.util.function.LongPredicate")
        self.ByteArrayOutputStream = jpype.JClass("java.io.ByteArrayOutputStream")
        self.ByteArrayInputStream = jpype.JClass("java.io.ByteArrayInputStream")
        self.Integer = jpype.JClass("java.lang.Integer")
        self.Long = jpype.JClass("java.lang.Long")
        self.Double = jpype.JClass("java.lang.Double")
        self.Boolean = jpype.JClass("java.lang.Boolean")
        self.String = jpype.JClass("java.lang.String")


def configure(jvm_args=None, classpath=None):
    """Sets the JVM's options and class path before vers first starts it.

    jvm_args: a list of JVM options, replacing vers's defaults
        ``["--add-modules=jdk.incubator.vector", "-Dkryo.unsafe=false"]`` (add ``"-Xmx8g"`` and the like here).
    classpath: a list of jars or folders to use instead of the jar that ships in the package.

    Raises RuntimeError once the JVM is running: a JVM starts once per process.
    """
    with _lock:
        if jpype.isJVMStarted():
            raise RuntimeError("the JVM is already running; call vers.configure() before the first use of vers")
        if jvm_args is not None:
            _settings["jvm_args"] = list(jvm_args)
        if classpath is not None:
            _settings["classpath"] = list(classpath)


def _bundled_jars():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_lib")
    jars = sorted(glob.glob(os.path.join(here, "*.jar")))
    if not jars:
        raise ImportError(
            "vers's jar is missing from " + here + "; build it from the repository root with "
            "'mvn -B -pl vers-python -am package -DskipTests', or pass vers.configure(classpath=[...])")
    return jars


def java():
    """The Java side, starting the JVM on first use."""
    global _java
    if _java is not None:
        return _java
    with _lock:
        if _java is None:
            if not jpype.isJVMStarted():
                classpath = _settings["classpath"] or _bundled_jars()
                classpath = classpath + [j for j in _JPYPE_SUPPORT_JARS if os.path.exists(j)]
                args = _settings["jvm_args"] if _settings["jvm_args"] is not None else _DEFAULT_ARGS
                jpype.startJVM(*args, classpath=classpath, convertStrings=False)
            _java = _Java()
    return _java
