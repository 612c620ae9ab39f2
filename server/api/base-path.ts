// Where the API lives. The major version is in the path (NL API Design Rules, /core/uri-version): a change that
// breaks clients gets /api/v1/v2 beside this one, announced on the old paths with Deprecation and Sunset headers.
export const API_BASE = '/api/v1';
