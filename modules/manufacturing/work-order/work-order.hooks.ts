/** Document hooks of the module's documents (work orders, production plans). */
export function registerManufacturingHooks(): void {
  // filled in with the work order lifecycle
}
