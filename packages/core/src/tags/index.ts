export type { TagResourceInput, TagResourceOutput } from './tag-resource.js';
export type { UntagResourceInput, UntagResourceOutput } from './untag-resource.js';
export type { ListTagsOfResourceInput, ListTagsOfResourceOutput } from './list-tags-of-resource.js';
