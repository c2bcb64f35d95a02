export { FIELD_TYPE_DEFS, hasColumn, scalarOf, formulaSqlType, type FieldTypeDef } from './registry.ts';
export { invalid, type Coercer, type AddressValue } from './coerce.ts';
export { regionName, regionParent, regionTree } from './china-regions.ts';
