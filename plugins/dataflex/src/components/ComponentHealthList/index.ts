export { ComponentHealthList } from './ComponentHealthList';
export type { ComponentHealthListProps } from './ComponentHealthList';
