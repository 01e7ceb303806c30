export { ExplainCard } from './ExplainCard';
