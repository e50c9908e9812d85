/**
 * `#openapi/city-document` unbundled (the local runtime, tests): the city API's document built from
 * the contracts on first use. A bundle imports the build's output instead (package.json `imports`,
 * condition `pioneer-bundle`: infra/openapi-build.ts writes it, compressed), so the city function
 * carries neither the generator nor the other contracts.
 */
export { cityOpenApiDocument } from './openapi-document.ts';
