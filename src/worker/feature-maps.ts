/**
 * The model explorer's feature maps: the U-Net on one small tile cut from the centre of what
 * the network would see for the open photo at its automatic ratio (or, with no photo, the
 * model's parity input), through the worker's shared engine.
 */
import * as Comlink from 'comlink';
import type { DecodedDng, LinearRaw } from '../pipeline/dng/types.ts';
import { networkInput } from '../pipeline/enhance/network-input.ts';
import type { PixelGrid } from '../pipeline/enhance/tiled-inference.ts';
import { TapetumError } from '../pipeline/errors.ts';
import { centreTile, featureTileSide, layerFeatureMaps } from '../pipeline/model/feature-maps.ts';
import { MODEL_FILE, parseManifest } from '../pipeline/model/manifest.ts';
import { layerIds } from '../pipeline/model/unet.ts';
import type { FeatureMapsRequest, FeatureMapsResult } from './api.ts';
import { modelFetcher } from './model-source.ts';
import { parseParity } from './parity.ts';
import { exclusive, runWithFallback } from './session.ts';

const DEFAULT_TILE = 64;
const DEFAULT_MAPS = 6;

/** What the explorer needs of an open photo. */
export interface FeatureMapPhoto {
  decoded: DecodedDng;
  /** `linearize(decoded)`, which the worker keeps from opening the photo. */
  linear: LinearRaw;
  autoRatio: number;
}

/** The photo's packed network input at its automatic ratio (4 channels R, G1, B, G2). */
export function photoNetworkInput({ decoded, linear, autoRatio }: FeatureMapPhoto, codeCentreShift: number): PixelGrid {
  const { width, height, data } = networkInput(linear, decoded.metadata, autoRatio, codeCentreShift);
  return { width, height, channels: 4, data };
}

function parityInput(bytes: Uint8Array): PixelGrid {
  const { shape, data } = parseParity(bytes).input;
  const [, height, width, channels] = shape;
  return { width, height, channels, data };
}

/**
 * Checks the request and cuts the tile before anything runs: a bad request must fail as it
 * is, not be retried on another backend.
 */
async function featureMapTile(request: FeatureMapsRequest, photo: FeatureMapPhoto | undefined): Promise<PixelGrid> {
  const fetchBytes = modelFetcher(request.model);
  const { architecture, codeCentreShift } = parseManifest(await fetchBytes(MODEL_FILE));
  if (!layerIds(architecture).includes(request.layer)) throw new TapetumError('internal', `The ${request.model} model has no layer ${request.layer}.`);
  const source = photo ? photoNetworkInput(photo, codeCentreShift) : parityInput(await fetchBytes('parity.json'));
  return centreTile(source, featureTileSide(request.tileSize ?? DEFAULT_TILE, source.width, source.height, architecture.sizeMultiple));
}

export async function featureMaps(request: FeatureMapsRequest, photo: FeatureMapPhoto | undefined): Promise<FeatureMapsResult> {
  return exclusive(async () => {
    const start = performance.now();
    const tile = await featureMapTile(request, photo);
    const { value } = await runWithFallback({ model: request.model }, undefined, ({ engine }) =>
      layerFeatureMaps(engine.quick, tile, request.layer, request.maxMaps ?? DEFAULT_MAPS),
    );
    const result: FeatureMapsResult = { ...value, tileSize: tile.width, ms: performance.now() - start };
    return Comlink.transfer(result, result.maps.map((map) => map.pixels.buffer));
  });
}
