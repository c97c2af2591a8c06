import os
import sys

# the package from this checkout, with the jar the Maven build put in vers/_lib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
