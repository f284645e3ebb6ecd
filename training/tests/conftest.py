import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'data'))
