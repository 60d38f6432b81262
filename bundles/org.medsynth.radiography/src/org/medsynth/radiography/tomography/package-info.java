/**
 * Single-image tomography (Henzler et al., "Single-image Tomography: 3D Volumes from 2D Cranial X-Rays"): one x-ray
 * to a 3D density volume. Head-like training volumes ({@link org.medsynth.radiography.tomography.SkullPhantom}),
 * x-ray/volume pairs in the view's frame ({@link org.medsynth.radiography.tomography.ViewPairs}), the encoder–decoder
 * with depth as channels ({@link org.medsynth.radiography.tomography.TomographyNetwork}), coarse and fused
 * reconstructions ({@link org.medsynth.radiography.tomography.Reconstruction}) and the paper's evaluation
 * ({@link org.medsynth.radiography.tomography.TomographyEvaluation}, with
 * {@link org.medsynth.radiography.tomography.IsoSurfaceRenderer}).
 */
package org.medsynth.radiography.tomography;
