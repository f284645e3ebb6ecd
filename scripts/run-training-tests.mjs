// Runs the training companion's pytest suite with a Python that has PyTorch (Debian's
// /usr/bin/python3 first), or says clearly why it is skipped.
import { spawnSync } from 'node:child_process';

const candidates = ['/usr/bin/python3', 'python3'];
const hasTorch = (python) =>
  spawnSync(python, ['-c', 'import torch, numpy, cv2, pytest'], { stdio: 'ignore' }).status === 0;
const python = candidates.find(hasTorch);
if (!python) {
  console.log('training tests skipped: no python3 with torch, numpy, opencv and pytest ' +
    '(apt-get install python3-torch python3-numpy python3-opencv python3-pytest)');
  process.exit(0);
}
const run = spawnSync(python, ['-m', 'pytest', '-q', 'training/tests'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
