#!/usr/bin/env python3
"""Writes the small movie layouts the reader tests open (test-support/movies/), with tifffile.

Run with the Debian Python that has numpy and tifffile:  /usr/bin/python3 scripts/make-test-movies.py

Every plane is 24 columns x 16 rows; plane (t, c) of a movie holds 1000*t + 100*c + x + 2*y
(uint16; uint8 planes hold 10*c + x + 2*y), so a test can tell every plane and its orientation apart.
Deterministic (fixed UUIDs, no dates), so re-running changes nothing.

  viv-channels/            viv's multi-TIFF layout: sample_Channel_0.tif .. _2.tif, one uint8 plane
                           each (3 channels of one frame, not 3 frames)
  supersegger/             SuperSegger names [basename]t[number]xy[number]c[number].tif:
                           MG1655_t01xy1c1.tif .. t03xy1c2.tif (3 frames x 2 channels, one position)
  supersegger-2pos/        the same for positions xy1 and xy2 (two movies in one folder)
  input-folder/            what a run's input_folder may hold: img_t000.tif .. img_t004.tif (a
                           per-frame file set, 5 frames), split_c1.tif and split_c2.tif (two
                           channel-split movies of 3 frames each, ImageJ), pos1.tif (one plane)
  ome-companion/           a multi-file OME-TIFF with a companion file: multifile.companion.ome holds
                           the OME-XML (2 channels x 3 frames, DimensionOrder XYZTC, DeltaT, channel
                           names); multifile_C0.ome.tif and _C1.ome.tif hold channel 0 and 1 (3 IFDs
                           each) and only a BinaryOnly OME-XML pointing to the companion
  ome-master/              the same planes as a master-file set: master_C0.ome.tif holds the full
                           OME-XML, whose TiffData put channel 1 in master_C1.ome.tif (BinaryOnly)
"""
import os
import shutil

import numpy as np
import tifffile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test-support', 'movies')
W, H = 24, 16
YY, XX = np.mgrid[0:H, 0:W]
NS = 'http://www.openmicroscopy.org/Schemas/OME/2016-06'


def plane(t, c, dtype=np.uint16):
    if dtype == np.uint8:
        return (10 * c + XX + 2 * YY).astype(np.uint8)
    return (1000 * t + 100 * c + XX + 2 * YY).astype(np.uint16)


def fresh(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def plain(path, data):
    # metadata=None: no tifffile JSON description, a plain TIFF as most writers make it.
    tifffile.imwrite(path, data, photometric='minisblack', metadata=None)


def viv_channels():
    d = fresh('viv-channels')
    for c in range(3):
        plain(os.path.join(d, f'sample_Channel_{c}.tif'), plane(0, c, np.uint8))


def supersegger():
    d = fresh('supersegger')
    for t in range(3):
        for c in range(2):
            plain(os.path.join(d, f'MG1655_t{t + 1:02d}xy1c{c + 1}.tif'), plane(t, c))
    d = fresh('supersegger-2pos')
    for xy in (1, 2):
        for c in range(2):
            plain(os.path.join(d, f't01xy{xy}c{c + 1}.tif'), plane(0, c))


def input_folder():
    d = fresh('input-folder')
    for t in range(5):
        plain(os.path.join(d, f'img_t{t:03d}.tif'), plane(t, 0))
    for c in range(2):
        stack = np.stack([plane(t, c) for t in range(3)])[:, np.newaxis]  # T, C=1, Y, X
        tifffile.imwrite(os.path.join(d, f'split_c{c + 1}.tif'), stack, imagej=True, metadata={'axes': 'TCYX'})
    plain(os.path.join(d, 'pos1.tif'), plane(0, 0))


def uuid(k):
    return f'urn:uuid:00000000-0000-4000-8000-{k:012d}'


def pixels_xml(tiffdata):
    channels = '<Channel ID="Channel:0:0" Name="phase" SamplesPerPixel="1"/>' \
               '<Channel ID="Channel:0:1" Name="PI" SamplesPerPixel="1"/>'
    planes = ''.join(
        f'<Plane TheZ="0" TheC="{c}" TheT="{t}" DeltaT="{60 * t}" DeltaTUnit="s"/>'
        for c in range(2) for t in range(3))
    return (f'<Image ID="Image:0" Name="multifile"><Pixels ID="Pixels:0" DimensionOrder="XYZTC" '
            f'Type="uint16" SizeX="{W}" SizeY="{H}" SizeZ="1" SizeC="2" SizeT="3" '
            f'PhysicalSizeX="0.065" PhysicalSizeXUnit="&#181;m" PhysicalSizeY="0.065" PhysicalSizeYUnit="&#181;m">'
            f'{channels}{tiffdata}{planes}</Pixels></Image>')


def tiffdata(names):
    return ''.join(
        f'<TiffData FirstC="{c}" FirstT="0" FirstZ="0" IFD="0" PlaneCount="3">'
        f'<UUID FileName="{name}">{uuid(c + 1)}</UUID></TiffData>'
        for c, name in enumerate(names))


def binary_only(own_uuid, metadata_file, metadata_uuid):
    return (f'<?xml version="1.0" encoding="UTF-8"?><OME xmlns="{NS}" UUID="{own_uuid}">'
            f'<BinaryOnly MetadataFile="{metadata_file}" UUID="{metadata_uuid}"/></OME>')


def channel_file(path, c, description):
    data = np.stack([plane(t, c) for t in range(3)])
    tifffile.imwrite(path, data, photometric='minisblack', description=description, metadata=None)


def ome_companion():
    d = fresh('ome-companion')
    names = ['multifile_C0.ome.tif', 'multifile_C1.ome.tif']
    companion = (f'<?xml version="1.0" encoding="UTF-8"?><OME xmlns="{NS}" UUID="{uuid(99)}">'
                 f'{pixels_xml(tiffdata(names))}</OME>')
    with open(os.path.join(d, 'multifile.companion.ome'), 'w', encoding='utf-8') as f:
        f.write(companion)
    for c, name in enumerate(names):
        channel_file(os.path.join(d, name), c, binary_only(uuid(c + 1), 'multifile.companion.ome', uuid(99)))


def ome_master():
    d = fresh('ome-master')
    names = ['master_C0.ome.tif', 'master_C1.ome.tif']
    master = (f'<?xml version="1.0" encoding="UTF-8"?><OME xmlns="{NS}" UUID="{uuid(1)}">'
              f'{pixels_xml(tiffdata(names))}</OME>')
    channel_file(os.path.join(d, names[0]), 0, master)
    channel_file(os.path.join(d, names[1]), 1, binary_only(uuid(2), names[0], uuid(1)))
    # tifffile reads master files: an independent check of the layout the tests expect.
    with tifffile.TiffFile(os.path.join(d, names[0])) as tif:
        s = tif.series[0]
        data = s.asarray()
        assert s.axes == 'CTYX' and data.shape == (2, 3, H, W), (s.axes, data.shape)
        assert data[1, 2, 5, 7] == 1000 * 2 + 100 * 1 + 7 + 2 * 5


if __name__ == '__main__':
    viv_channels()
    supersegger()
    input_folder()
    ome_companion()
    ome_master()
    print('wrote', os.path.normpath(OUT))
