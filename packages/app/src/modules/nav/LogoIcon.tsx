import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
  shape: {
    fill: '#7df3e1',
  },
});

/** Three stacked data layers: the DataFlex mark. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      role="img"
      aria-label="DataFlex"
    >
      <ellipse className={classes.shape} cx="16" cy="7" rx="12" ry="4.5" />
      <path
        className={classes.shape}
        d="M4 12.5c0 2.5 5.4 4.5 12 4.5s12-2 12-4.5V16c0 2.5-5.4 4.5-12 4.5S4 18.5 4 16z"
      />
      <path
        className={classes.shape}
        d="M4 21.5c0 2.5 5.4 4.5 12 4.5s12-2 12-4.5V25c0 2.5-5.4 4.5-12 4.5S4 27.5 4 25z"
      />
    </svg>
  );
};
