import {
  DatasetColumn,
  VersionColumn,
} from '@dataflex/backstage-plugin-dataflex-common';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

interface SchemaRow {
  name: string;
  declaredType?: string;
  inferredType?: string;
  nullable?: boolean;
  description?: string;
  pii: boolean;
  masked: boolean;
}

/**
 * Declared columns (the entity's `spec.schema`) in their order, then the
 * columns only the latest upload has; each with both types where known.
 */
function schemaRows(
  declared: DatasetColumn[],
  inferred: VersionColumn[],
  masking: string[],
): SchemaRow[] {
  const inferredByName = new Map(inferred.map(c => [c.name, c]));
  const declaredNames = new Set(declared.map(c => c.name));
  const rows: SchemaRow[] = declared.map(column => {
    const fromUpload = inferredByName.get(column.name);
    const pii = column.pii === true;
    return {
      name: column.name,
      declaredType: column.type,
      inferredType: fromUpload?.type,
      nullable: fromUpload?.nullable,
      description: column.description,
      pii,
      // The backend masks PII columns whether or not they are listed.
      masked: pii || masking.includes(column.name),
    };
  });
  for (const column of inferred) {
    if (!declaredNames.has(column.name)) {
      rows.push({
        name: column.name,
        inferredType: column.type,
        nullable: column.nullable,
        pii: false,
        masked: masking.includes(column.name),
      });
    }
  }
  return rows;
}

const useStyles = makeStyles(theme => ({
  table: { '& th': { whiteSpace: 'nowrap' } },
  nowrap: { whiteSpace: 'nowrap' },
  marker: { marginRight: theme.spacing(0.5) },
}));

/** A dataset's columns with their types and PII and masking markers. */
export const DatasetSchemaTable = (props: {
  declared: DatasetColumn[];
  inferred: VersionColumn[];
  masking: string[];
}) => {
  const classes = useStyles();
  const rows = schemaRows(props.declared, props.inferred, props.masking);
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No schema declared and nothing uploaded yet.
      </Typography>
    );
  }
  return (
    <Table className={classes.table} size="small" aria-label="Schema">
      <TableHead>
        <TableRow>
          <TableCell>Column</TableCell>
          <TableCell>Declared type</TableCell>
          <TableCell>Type in latest version</TableCell>
          <TableCell>Description</TableCell>
          <TableCell>Markers</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={row.name} data-testid={`schema-row-${row.name}`}>
            <TableCell className={classes.nowrap}>
              <code>{row.name}</code>
            </TableCell>
            <TableCell>{row.declaredType ?? '—'}</TableCell>
            <TableCell className={classes.nowrap}>
              {row.inferredType
                ? `${row.inferredType}${row.nullable ? ' (nullable)' : ''}`
                : '—'}
            </TableCell>
            <TableCell>{row.description ?? ''}</TableCell>
            <TableCell className={classes.nowrap}>
              {row.pii && (
                <Chip
                  className={classes.marker}
                  size="small"
                  color="secondary"
                  label="PII"
                  title="Holds personal data"
                />
              )}
              {row.masked && (
                <Chip
                  size="small"
                  variant="outlined"
                  label="Masked"
                  title="Replaced by *** in previews and demos"
                />
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
