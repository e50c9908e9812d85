import { buildCityOpenApi, buildOpenApi, type OpenApiDocument } from './openapi.ts';

/**
 * `#openapi/document` unbundled (the local runtime, tests): the document built from the contracts
 * on first use. A bundle imports the build's output instead (package.json `imports`, the
 * `pioneer-bundle` condition: infra/openapi-build.ts writes it, compressed), so the docs function
 * carries neither the zod schemas nor the generator.
 */
let built: OpenApiDocument | undefined;

export function openApiDocument(): OpenApiDocument {
  built ??= buildOpenApi();
  return built;
}

let builtCity: OpenApiDocument | undefined;

/** The city API's document (`#openapi/city-document` unbundled), built from the contracts on first use. */
export function cityOpenApiDocument(): OpenApiDocument {
  builtCity ??= buildCityOpenApi();
  return builtCity;
}
