/**
 * The radiography module: generative models between CT and projection radiography. CT2X-GAN (CT to multi-view
 * X-rays with the X-ray style separated from the DRR style) and single-image tomography (one X-ray to a 3D density),
 * both trained on pairs the physics projector simulates from phantoms and the real head CT.
 */
package org.medsynth.radiography;
