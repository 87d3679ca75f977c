import { SlipwayError } from '@slipway/core';

/** The hidden HTML comment that identifies a comment Slipway owns. Markdown renderers of all three hosts hide it. */
export function markerComment(marker: string): string {
  // `--` and `>` would end the HTML comment early and show the rest on the page.
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(marker) || marker.includes('--')) {
    throw new SlipwayError('SLW_INTERNAL', `comment marker "${marker}" must be letters, digits and . _ : / - without "--"`);
  }
  return `<!-- ${marker} -->`;
}

/** The body to post: the marker on the first line, then the Markdown. */
export function markedBody(body: string, marker: string): string {
  return `${markerComment(marker)}\n${body}`;
}

export function hasMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === 'string' && body.includes(markerComment(marker));
}
