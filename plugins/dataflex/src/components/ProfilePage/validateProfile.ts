import {
  PROFILE_LIMITS,
  UpdateProfileRequest,
} from '@dataflex/backstage-plugin-dataflex-common';

/** What is wrong with each field of a draft profile, in words for its form. */
export type ProfileErrors = Partial<
  Record<'displayName' | 'bio' | 'organization' | 'skills', string>
>;

/** Counts characters as the backend does: code points, not UTF-16 units. */
export function characterCount(value: string): number {
  return [...value].length;
}

/**
 * Checks a draft against the limits the backend enforces, so most mistakes
 * are shown next to the field before saving. The backend checks again.
 */
export function validateProfile(draft: UpdateProfileRequest): ProfileErrors {
  const errors: ProfileErrors = {};
  const name = draft.displayName.trim();
  if (!name) {
    errors.displayName = 'Enter the name others should see';
  } else if (characterCount(name) > PROFILE_LIMITS.displayNameMaxLength) {
    errors.displayName = `At most ${PROFILE_LIMITS.displayNameMaxLength} characters`;
  }
  if (characterCount((draft.bio ?? '').trim()) > PROFILE_LIMITS.bioMaxLength) {
    errors.bio = `At most ${PROFILE_LIMITS.bioMaxLength} characters`;
  }
  if (
    characterCount((draft.organization ?? '').trim()) >
    PROFILE_LIMITS.organizationMaxLength
  ) {
    errors.organization = `At most ${PROFILE_LIMITS.organizationMaxLength} characters`;
  }
  if ((draft.skills ?? []).length > PROFILE_LIMITS.maxSkills) {
    errors.skills = `At most ${PROFILE_LIMITS.maxSkills} skills`;
  }
  return errors;
}

/**
 * Why a skill cannot be added to the list, or undefined when it can.
 */
export function validateSkill(
  skill: string,
  skills: string[],
): string | undefined {
  const trimmed = skill.trim();
  if (!trimmed) {
    return 'Type a skill first';
  }
  if (characterCount(trimmed) > PROFILE_LIMITS.skillMaxLength) {
    return `A skill has at most ${PROFILE_LIMITS.skillMaxLength} characters`;
  }
  const key = trimmed.toLocaleLowerCase('en-US');
  if (skills.some(s => s.toLocaleLowerCase('en-US') === key)) {
    return `${trimmed} is already listed`;
  }
  if (skills.length >= PROFILE_LIMITS.maxSkills) {
    return `At most ${PROFILE_LIMITS.maxSkills} skills`;
  }
  return undefined;
}
