// Your code: naftiko-gen created this file once and never overwrites or deletes it.
// Everything else in this project is generated from harbour-crew.yaml and replaced on every build.
import type { Hooks } from './runtime/hooks.js';

export const hooks: Hooks = {
  // Add a header to every upstream request:
  // beforeUpstream(call) {
  //   call.headers['x-request-id'] = crypto.randomUUID();
  // },
  //
  // Reshape a result before the output mapping:
  // afterUpstream(response, call) {
  //   if (call.operation === 'get-vessel') return { ...response, text: response.text.trim() };
  // },
};
