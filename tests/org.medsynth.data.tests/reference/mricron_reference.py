#!/usr/bin/python3
"""Shapes and decoded sizes of real NIfTI volumes from Debian's mricron-data, as nibabel reads them.

Run with Debian's python (nibabel): /usr/bin/python3 mricron_reference.py  -> mricron_reference.json
MedSynth keeps a NIfTI file's stored type when scl_slope is 1 and scl_inter 0 (true of all these files), so the
decoded size is the number of voxels times the stored item size. Shapes are listed x first, as MedSynth's dimensions.
"""
import json
import os

import nibabel as nib
import numpy as np

FOLDER = '/usr/share/mricron/templates'
FILES = ['AICHAmc.nii.gz', 'JHU-WhiteMatter-labels-2mm.nii.gz', 'inia19-NeuroMaps.nii.gz', 'inia19-t1-brain.nii.gz',
         'jhu189.nii.gz', 'natbrainlab.nii.gz']


def main():
    volumes = {}
    for name in FILES:
        image = nib.load(os.path.join(FOLDER, name))
        assert image.dataobj.slope == 1 and image.dataobj.inter == 0, name
        dtype = image.get_data_dtype()
        volumes[name] = {
            'shape': [int(n) for n in image.shape],
            'dtype': str(dtype),
            'bytes': int(np.prod(image.shape)) * dtype.itemsize,
            'sum': float(np.asarray(image.dataobj, dtype=np.float64).sum()),
        }
    with open('mricron_reference.json', 'w') as f:
        json.dump({'nibabel': nib.__version__, 'folder': FOLDER, 'volumes': volumes}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
