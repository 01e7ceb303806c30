import { FormEvent, KeyboardEvent, ReactNode, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import CancelIcon from '@material-ui/icons/Cancel';
import Alert from '@material-ui/lab/Alert';
import {
  Profile,
  PROFILE_LIMITS,
  ProfileField,
  ProfileVisibility,
  UpdateProfileRequest,
} from '@dataflex/backstage-plugin-dataflex-common';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  characterCount,
  validateProfile,
  validateSkill,
} from './validateProfile';

const LABELS: Record<ProfileField, string> = {
  displayName: 'Display name',
  bio: 'Bio',
  organization: 'Organization',
  skills: 'Skills',
};

export interface ProfileFormProps {
  profile: Profile;
  onSave(request: UpdateProfileRequest): Promise<Profile>;
}

/**
 * Edits a whole profile: each field with a switch for whether other users
 * may see it. Saving replaces the stored profile.
 */
export const ProfileForm = (props: ProfileFormProps) => {
  const { profile, onSave } = props;
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [bio, setBio] = useState(profile.bio ?? '');
  const [organization, setOrganization] = useState(profile.organization ?? '');
  const [skills, setSkills] = useState(profile.skills);
  const [skillInput, setSkillInput] = useState('');
  const [skillError, setSkillError] = useState<string>();
  const [visibility, setVisibility] = useState<ProfileVisibility>(
    profile.visibility,
  );

  const draft: UpdateProfileRequest = {
    displayName: displayName.trim(),
    bio: bio.trim() || undefined,
    organization: organization.trim() || undefined,
    skills,
    visibility,
  };
  const errors = validateProfile(draft);
  const valid = Object.keys(errors).length === 0;

  const [saveState, save] = useAsyncFn(() => onSave(draft), [onSave, draft]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) {
      save();
    }
  };

  const addSkill = () => {
    const problem = validateSkill(skillInput, skills);
    setSkillError(problem);
    if (!problem) {
      setSkills([...skills, skillInput.trim()]);
      setSkillInput('');
    }
  };

  const onSkillKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      // Enter adds the skill rather than submitting the whole form.
      event.preventDefault();
      addSkill();
    }
  };

  const visibilitySwitch = (field: ProfileField) => (
    <FormControlLabel
      control={
        <Switch
          color="primary"
          checked={visibility[field] === 'public'}
          onChange={(_, checked) =>
            setVisibility({
              ...visibility,
              [field]: checked ? 'public' : 'private',
            })
          }
          inputProps={{ 'aria-label': `${LABELS[field]} visible to others` }}
        />
      }
      label={visibility[field] === 'public' ? 'Visible to others' : 'Only you'}
    />
  );

  const row = (field: ProfileField, input: ReactNode) => (
    <Grid container item xs={12} spacing={2} alignItems="flex-start">
      <Grid item xs={12} md={9}>
        {input}
      </Grid>
      <Grid item xs={12} md={3}>
        {visibilitySwitch(field)}
      </Grid>
    </Grid>
  );

  return (
    <form onSubmit={submit} aria-label="Edit your profile" noValidate>
      <Grid container spacing={3}>
        {row(
          'displayName',
          <TextField
            id="dataflex-profile-display-name"
            label={LABELS.displayName}
            value={displayName}
            onChange={e => setDisplayName(e.target.value)}
            error={Boolean(errors.displayName)}
            helperText={
              errors.displayName ??
              `${characterCount(displayName.trim())}/${
                PROFILE_LIMITS.displayNameMaxLength
              }`
            }
            required
            fullWidth
          />,
        )}
        {row(
          'organization',
          <TextField
            id="dataflex-profile-organization"
            label={LABELS.organization}
            value={organization}
            onChange={e => setOrganization(e.target.value)}
            error={Boolean(errors.organization)}
            helperText={errors.organization}
            fullWidth
          />,
        )}
        {row(
          'bio',
          <TextField
            id="dataflex-profile-bio"
            label={LABELS.bio}
            value={bio}
            onChange={e => setBio(e.target.value)}
            error={Boolean(errors.bio)}
            helperText={
              errors.bio ??
              `${characterCount(bio.trim())}/${PROFILE_LIMITS.bioMaxLength}`
            }
            multiline
            minRows={3}
            fullWidth
          />,
        )}
        {row(
          'skills',
          <>
            <Box display="flex" alignItems="flex-start">
              <TextField
                id="dataflex-profile-skill"
                label="Add a skill"
                value={skillInput}
                onChange={e => {
                  setSkillInput(e.target.value);
                  setSkillError(undefined);
                }}
                onKeyDown={onSkillKeyDown}
                error={Boolean(skillError ?? errors.skills)}
                helperText={
                  skillError ??
                  errors.skills ??
                  `${skills.length}/${PROFILE_LIMITS.maxSkills} skills; Enter adds one`
                }
                fullWidth
              />
              <Box ml={1} mt={2}>
                <Button variant="outlined" onClick={addSkill}>
                  Add
                </Button>
              </Box>
            </Box>
            <Box mt={1} role="list" aria-label={LABELS.skills}>
              {skills.map(skill => (
                <Box
                  key={skill}
                  component="span"
                  role="listitem"
                  mr={1}
                  mb={1}
                  display="inline-block"
                >
                  <Chip
                    label={skill}
                    onDelete={() => setSkills(skills.filter(s => s !== skill))}
                    deleteIcon={<CancelIcon titleAccess={`Remove ${skill}`} />}
                  />
                </Box>
              ))}
            </Box>
          </>,
        )}
        <Grid item xs={12}>
          <Typography variant="body2" color="textSecondary">
            Fields marked “Only you” are kept on the server and never sent to
            anyone else.
          </Typography>
        </Grid>
        {saveState.error && (
          <Grid item xs={12}>
            <Alert severity="error">
              Could not save your profile: {errorMessage(saveState.error)}
            </Alert>
          </Grid>
        )}
        {saveState.value && !saveState.loading && !saveState.error && (
          <Grid item xs={12}>
            <Alert severity="success">Profile saved</Alert>
          </Grid>
        )}
        <Grid item xs={12}>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={!valid || saveState.loading}
          >
            Save
          </Button>
        </Grid>
      </Grid>
    </form>
  );
};

function errorMessage(error: Error): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  return typeof body?.error?.message === 'string'
    ? body.error.message
    : error.message;
}
