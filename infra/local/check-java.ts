// `npm test` runs this first: one clear line and exit 1 when Java 17+ is missing.
import { checkJava } from './java.ts';

checkJava();
